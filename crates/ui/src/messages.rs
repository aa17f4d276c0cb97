//! Every message of the interface in Spanish, English and Portuguese. `{}` marks a value filled
//! in order by `I18n::tf`. Adding a key without all three translations does not compile.

use crate::i18n::Lang;

macro_rules! messages {
    ($($key:ident => $es:literal, $en:literal, $pt:literal;)*) => {
        /// A message of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key { $($key,)* }

        /// The message in `lang`.
        pub fn text(lang: Lang, key: Key) -> &'static str {
            match key {
                $(Key::$key => match lang { Lang::Es => $es, Lang::En => $en, Lang::Pt => $pt },)*
            }
        }
    };
}

messages! {
    // Shell
    HelpCenter => "Centro de ayuda", "Help center", "Central de ajuda";
    AgentConsole => "Consola de agentes", "Agent console", "Console de agentes";
    Language => "Idioma", "Language", "Idioma";
    SignedInAs => "Sesión de", "Signed in as", "Conectado como";
    Loading => "Cargando…", "Loading…", "Carregando…";
    NoConsoleInBuild => "Esta versión trae solo el centro de ayuda; la consola de agentes se carga aparte.", "This build has the help center only; the agent console loads separately.", "Esta versão traz só a central de ajuda; o console de agentes é carregado à parte.";
    LoadFailed => "No se pudo abrir el centro de ayuda.", "The help desk could not open.", "Não foi possível abrir a central de ajuda.";
    PortalNavigation => "Secciones del centro de ayuda", "Help center sections", "Seções da central de ajuda";
    // Portal
    NewTicket => "Nuevo ticket", "New ticket", "Novo ticket";
    MyTickets => "Mis tickets", "My tickets", "Meus tickets";
    YourTickets => "Tus tickets", "Your tickets", "Seus tickets";
    HelpArticles => "Artículos de ayuda", "Help articles", "Artigos de ajuda";
    NewTicketIntro => "Cuéntanos qué pasa y te responderemos lo antes posible.", "Tell us what happened and we will answer as soon as we can.", "Conte o que aconteceu e responderemos o quanto antes.";
    Subject => "Asunto", "Subject", "Assunto";
    Description => "Descripción", "Description", "Descrição";
    TicketTypeLabel => "Tipo", "Type", "Tipo";
    Category => "Categoría", "Category", "Categoria";
    NoCategory => "Sin categoría", "No category", "Sem categoria";
    YourContact => "Tus datos de contacto", "How to reach you", "Seus dados de contato";
    Name => "Nombre", "Name", "Nome";
    Email => "Correo electrónico", "Email", "E-mail";
    Phone => "Teléfono", "Phone", "Telefone";
    SendTicket => "Enviar ticket", "Send ticket", "Enviar ticket";
    Sending => "Enviando…", "Sending…", "Enviando…";
    SuggestedArticles => "Quizá esto te ayude:", "These articles may answer your question:", "Estes artigos podem ajudar:";
    TicketCreated => "Recibimos tu ticket", "We received your ticket", "Recebemos seu ticket";
    YourTicketCode => "Tu código de ticket es", "Your ticket code is", "O código do seu ticket é";
    ViewTicket => "Ver el ticket", "View ticket", "Ver o ticket";
    OpenAnother => "Abrir otro ticket", "Open another ticket", "Abrir outro ticket";
    NoTicketsYet => "Todavía no abriste ningún ticket desde este dispositivo.", "You have not opened any ticket from this device yet.", "Você ainda não abriu nenhum ticket neste dispositivo.";
    Updated => "Actualizado", "Updated", "Atualizado";
    BackToMyTickets => "← Volver a mis tickets", "← Back to my tickets", "← Voltar aos meus tickets";
    Conversation => "Conversación", "Conversation", "Conversa";
    YourReply => "Tu respuesta", "Your reply", "Sua resposta";
    SendReply => "Enviar respuesta", "Send reply", "Enviar resposta";
    MarkResolved => "Marcar como resuelto", "Mark as resolved", "Marcar como resolvido";
    Reopen => "Reabrir", "Reopen", "Reabrir";
    RateQuestion => "¿Cómo te atendimos?", "How did we do?", "Como foi o nosso atendimento?";
    ScoreLabel => "{} de 5", "{} of 5", "{} de 5";
    RatingComment => "Comentario (opcional)", "Comment (optional)", "Comentário (opcional)";
    SendRating => "Enviar valoración", "Send rating", "Enviar avaliação";
    YouRated => "Gracias: valoraste este ticket con {} de 5.", "Thank you: you rated this ticket {} of 5.", "Obrigado: você avaliou este ticket com {} de 5.";
    SearchArticles => "Buscar en la ayuda", "Search help articles", "Pesquisar na ajuda";
    ArticlesFound => "{} artículos", "{} articles", "{} artigos";
    BackToArticles => "← Volver a los artículos", "← Back to articles", "← Voltar aos artigos";
    StillNeedHelp => "¿Sigues necesitando ayuda? Abre un ticket", "Still need help? Open a ticket", "Ainda precisa de ajuda? Abra um ticket";
    // Statuses, priorities, types, channels
    Status => "Estado", "Status", "Status";
    StatusNew => "Nuevo", "New", "Novo";
    StatusOpen => "Abierto", "Open", "Aberto";
    StatusAnswered => "Respondido", "Answered", "Respondido";
    StatusPostponed => "Pospuesto", "Postponed", "Adiado";
    StatusResolved => "Resuelto", "Resolved", "Resolvido";
    StatusClosed => "Cerrado", "Closed", "Fechado";
    StatusMerged => "Fusionado", "Merged", "Mesclado";
    Priority => "Prioridad", "Priority", "Prioridade";
    PriorityLow => "Baja", "Low", "Baixa";
    PriorityNormal => "Normal", "Normal", "Normal";
    PriorityHigh => "Alta", "High", "Alta";
    PriorityUrgent => "Urgente", "Urgent", "Urgente";
    LevelLow => "Bajo", "Low", "Baixo";
    LevelMedium => "Medio", "Medium", "Médio";
    LevelHigh => "Alto", "High", "Alto";
    TypeQuestion => "Pregunta", "Question", "Pergunta";
    TypeIncident => "Incidencia", "Incident", "Incidente";
    TypeProblem => "Problema", "Problem", "Problema";
    TypeTask => "Tarea", "Task", "Tarefa";
    Channel => "Canal", "Channel", "Canal";
    ChannelWeb => "Formulario web", "Web form", "Formulário web";
    ChannelChat => "Chat", "Chat", "Chat";
    ChannelEmail => "Correo", "Email", "E-mail";
    ChannelPhone => "Teléfono", "Phone", "Telefone";
    ChannelInPerson => "En persona", "In person", "Presencial";
    ChannelApi => "API", "API", "API";
    // Console
    Views => "Vistas", "Views", "Visões";
    ViewMyOpen => "Mis abiertos", "My open", "Meus abertos";
    ViewUnassigned => "Sin asignar", "Unassigned", "Não atribuídos";
    ViewSlaAtRisk => "SLA en riesgo", "SLA at risk", "SLA em risco";
    ViewUrgent => "Urgentes", "Urgent", "Urgentes";
    ViewAll => "Todos", "All", "Todos";
    SavedViews => "Vistas guardadas", "Saved views", "Visões salvas";
    ViewName => "Nombre de la vista", "View name", "Nome da visão";
    SaveView => "Guardar vista", "Save view", "Salvar visão";
    KeyboardShortcuts => "Atajos de teclado", "Keyboard shortcuts", "Atalhos de teclado";
    LogTicket => "Registrar ticket", "Log a ticket", "Registrar ticket";
    SearchTickets => "Buscar tickets", "Search tickets", "Pesquisar tickets";
    Search => "Buscar", "Search", "Pesquisar";
    SortBy => "Ordenar por", "Sort by", "Ordenar por";
    SortUpdatedDesc => "Actualizados recientemente", "Recently updated", "Atualizados recentemente";
    SortUpdatedAsc => "Sin actividad hace más tiempo", "Least recently updated", "Sem atividade há mais tempo";
    SortCreatedDesc => "Más nuevos", "Newest", "Mais novos";
    SortCreatedAsc => "Más antiguos", "Oldest", "Mais antigos";
    SortPriority => "Prioridad", "Priority", "Prioridade";
    SortSlaDue => "Vencimiento del SLA", "SLA due", "Vencimento do SLA";
    NoTickets => "No hay tickets en esta vista.", "No tickets in this view.", "Nenhum ticket nesta visão.";
    RangeOf => "{}–{} de {}", "{}–{} of {}", "{}–{} de {}";
    SelectAll => "Seleccionar todos", "Select all", "Selecionar todos";
    SelectTicket => "Seleccionar {}", "Select {}", "Selecionar {}";
    Requester => "Solicitante", "Requester", "Solicitante";
    Assignee => "Asignado a", "Assignee", "Responsável";
    Sla => "SLA", "SLA", "SLA";
    Previous => "Anterior", "Previous", "Anterior";
    Next => "Siguiente", "Next", "Próximo";
    Nobody => "Nadie", "Nobody", "Ninguém";
    BulkActions => "Acciones en lote", "Bulk actions", "Ações em massa";
    NSelected => "{} seleccionados", "{} selected", "{} selecionados";
    AssignTo => "Asignar a", "Assign to", "Atribuir a";
    Assign => "Asignar", "Assign", "Atribuir";
    NewStatus => "Nuevo estado", "New status", "Novo status";
    SetStatus => "Cambiar estado", "Set status", "Alterar status";
    Resolve => "Resolver", "Resolve", "Resolver";
    Close => "Cerrar", "Close", "Fechar";
    Impact => "Impacto", "Impact", "Impacto";
    Urgency => "Urgencia", "Urgency", "Urgência";
    SetPriority => "Cambiar prioridad", "Set priority", "Alterar prioridade";
    AddTags => "Etiquetas para añadir", "Tags to add", "Etiquetas a adicionar";
    AddTagsButton => "Añadir etiquetas", "Add tags", "Adicionar etiquetas";
    MergeIntoFirst => "Fusionar en el primero", "Merge into the first", "Mesclar no primeiro";
    BulkDone => "{} tickets actualizados.", "{} tickets updated.", "{} tickets atualizados.";
    BackToInbox => "← Volver a la bandeja", "← Back to inbox", "← Voltar à caixa de entrada";
    TicketDetails => "Detalles del ticket", "Ticket details", "Detalhes do ticket";
    ComposerMode => "Tipo de mensaje", "Message kind", "Tipo de mensagem";
    PublicReply => "Respuesta pública", "Public reply", "Resposta pública";
    InternalNote => "Nota interna", "Internal note", "Nota interna";
    ReplyToCustomer => "Respuesta al cliente", "Reply to customer", "Resposta ao cliente";
    NoteForAgents => "Nota interna (solo agentes)", "Internal note (agents only)", "Nota interna (só agentes)";
    MarkdownHint => "Admite Markdown: **negrita**, *cursiva*, listas y enlaces.", "Markdown works: **bold**, *italic*, lists and links.", "Aceita Markdown: **negrito**, *itálico*, listas e links.";
    Preview => "Vista previa", "Preview", "Pré-visualizar";
    CannedResponse => "Respuesta predefinida", "Canned response", "Resposta pronta";
    ChooseOne => "Elegir…", "Choose…", "Escolher…";
    AddNote => "Añadir nota", "Add note", "Adicionar nota";
    SendAndResolve => "Enviar y resolver", "Send and resolve", "Enviar e resolver";
    Properties => "Propiedades", "Properties", "Propriedades";
    Team => "Equipo", "Team", "Equipe";
    NoTeam => "Sin equipo", "No team", "Sem equipe";
    SupportLevel => "Nivel de soporte", "Support level", "Nível de suporte";
    EscalationReason => "Motivo de la escalada", "Reason to escalate", "Motivo da escalada";
    EscalateTo => "Escalar a {}", "Escalate to {}", "Escalar para {}";
    Tags => "Etiquetas", "Tags", "Etiquetas";
    NewTag => "Nueva etiqueta", "New tag", "Nova etiqueta";
    AddTag => "Añadir etiqueta", "Add tag", "Adicionar etiqueta";
    RemoveTag => "Quitar la etiqueta {}", "Remove tag {}", "Remover a etiqueta {}";
    SlaClocks => "Relojes de SLA", "SLA clocks", "Relógios de SLA";
    NoSlaPolicy => "Ninguna política de SLA se aplica a este ticket.", "No SLA policy applies to this ticket.", "Nenhuma política de SLA se aplica a este ticket.";
    SlaFirstResponse => "Primera respuesta", "First response", "Primeira resposta";
    SlaNextResponse => "Siguiente respuesta", "Next response", "Próxima resposta";
    SlaResolution => "Resolución", "Resolution", "Resolução";
    SlaRunning => "En curso", "Running", "Em curso";
    SlaPaused => "En pausa", "Paused", "Pausado";
    SlaAtRisk => "En riesgo", "At risk", "Em risco";
    SlaBreached => "Incumplido", "Breached", "Violado";
    SlaMet => "Cumplido", "Met", "Cumprido";
    SlaMetLate => "Cumplido con retraso", "Met late", "Cumprido com atraso";
    SlaCancelled => "Cancelado", "Cancelled", "Cancelado";
    SlaNotApplicable => "No aplica", "Not applicable", "Não se aplica";
    TimeLeft => "quedan {} (vence {})", "{} left (due {})", "faltam {} (vence {})";
    Overdue => "vencido hace {}", "{} overdue", "vencido há {}";
    OtherTickets => "Otros tickets", "Other tickets", "Outros tickets";
    NoOtherTickets => "Ningún otro ticket.", "No other tickets.", "Nenhum outro ticket.";
    History => "Historial", "History", "Histórico";
    AuditOpened => "abrió el ticket", "opened the ticket", "abriu o ticket";
    AuditReplied => "respondió", "replied", "respondeu";
    AuditNote => "añadió una nota interna", "added an internal note", "adicionou uma nota interna";
    AuditStatus => "cambió el estado de {} a {}", "changed the status from {} to {}", "mudou o status de {} para {}";
    AuditPriority => "cambió la prioridad de {} a {}", "changed the priority from {} to {}", "mudou a prioridade de {} para {}";
    AuditAssignee => "reasignó de {} a {}", "reassigned from {} to {}", "reatribuiu de {} para {}";
    AuditLevel => "escaló de {} a {}: {}", "escalated from {} to {}: {}", "escalou de {} para {}: {}";
    AuditTags => "etiquetas añadidas: {}; quitadas: {}", "tags added: {}; removed: {}", "etiquetas adicionadas: {}; removidas: {}";
    AuditRated => "valoró con {} de 5", "rated {} of 5", "avaliou com {} de 5";
    AuditMergedInto => "fusionado en {}", "merged into {}", "mesclado em {}";
    AuditMergedFrom => "absorbió {}", "absorbed {}", "absorveu {}";
    AuditChanged => "cambió: {}", "changed: {}", "alterou: {}";
    RequesterName => "Nombre del solicitante", "Requester name", "Nome do solicitante";
    AssignToMe => "Asignármelo", "Assign to me", "Atribuir a mim";
    CreateTicket => "Crear ticket", "Create ticket", "Criar ticket";
    Cancel => "Cancelar", "Cancel", "Cancelar";
    CloseDialog => "Cerrar", "Close", "Fechar";
    ShortcutNext => "Ticket siguiente", "Next ticket", "Próximo ticket";
    ShortcutPrev => "Ticket anterior", "Previous ticket", "Ticket anterior";
    ShortcutReply => "Responder", "Reply", "Responder";
    ShortcutNote => "Nota interna", "Internal note", "Nota interna";
    ShortcutResolve => "Resolver el ticket", "Resolve the ticket", "Resolver o ticket";
    ShortcutSearch => "Buscar", "Search", "Pesquisar";
    ShortcutHelp => "Mostrar esta ayuda", "Show this help", "Mostrar esta ajuda";
    ShortcutClose => "Cerrar el diálogo", "Close the dialog", "Fechar o diálogo";
    ShortcutSend => "Enviar el mensaje", "Send the message", "Enviar a mensagem";
    // Errors
    ErrEmptySubject => "Escribe un asunto.", "Please write a subject.", "Escreva um assunto.";
    ErrSubjectTooLong => "El asunto supera los {} caracteres.", "The subject is longer than {} characters.", "O assunto passa de {} caracteres.";
    ErrEmptyBody => "Escribe un mensaje.", "Please write a message.", "Escreva uma mensagem.";
    ErrBodyTooLong => "El texto supera los {} caracteres.", "The text is longer than {} characters.", "O texto passa de {} caracteres.";
    ErrNameRequired => "Dinos tu nombre.", "Please tell us your name.", "Diga-nos o seu nome.";
    ErrEmailRequired => "Escribe tu correo para poder responderte.", "Please give an email so we can answer you.", "Informe seu e-mail para podermos responder.";
    ErrInvalidEmail => "«{}» no es una dirección de correo.", "“{}” is not an email address.", "“{}” não é um endereço de e-mail.";
    ErrInvalidPhone => "«{}» no es un número de teléfono.", "“{}” is not a phone number.", "“{}” não é um número de telefone.";
    ErrInvalidTag => "La etiqueta «{}» solo puede tener letras, cifras y - _ : .", "Tag “{}” may only have letters, digits and - _ : .", "A etiqueta “{}” só pode ter letras, dígitos e - _ : .";
    ErrRequiredField => "Completa el campo «{}».", "Please fill in “{}”.", "Preencha o campo “{}”.";
    ErrRating => "Elige una puntuación del 1 al 5.", "Choose a score from 1 to 5.", "Escolha uma nota de 1 a 5.";
    ErrEmptyReason => "Explica por qué se escala.", "Say why the ticket is escalated.", "Explique por que o ticket é escalado.";
    ErrPostponeInPast => "La fecha debe estar en el futuro.", "The date must be in the future.", "A data deve estar no futuro.";
    ErrIllegal => "No se puede hacer eso con un ticket en estado {}.", "That cannot be done while the ticket is {}.", "Isso não pode ser feito com o ticket em {}.";
    ErrForbidden => "No tienes permiso para hacer eso.", "You are not allowed to do that.", "Você não tem permissão para isso.";
    ErrNotRequester => "Este ticket es de otra persona.", "This ticket belongs to someone else.", "Este ticket é de outra pessoa.";
    ErrMerged => "El ticket {} se fusionó en {}; continúa allí.", "Ticket {} was merged into {}; continue there.", "O ticket {} foi mesclado em {}; continue lá.";
    ErrMergeIntoSelf => "Un ticket no se puede fusionar consigo mismo.", "A ticket cannot be merged into itself.", "Um ticket não pode ser mesclado nele mesmo.";
    ErrNothingToMerge => "Elige al menos dos tickets para fusionar.", "Choose at least two tickets to merge.", "Escolha pelo menos dois tickets para mesclar.";
    ErrQuota => "El dispositivo se quedó sin espacio; no se guardó nada.", "This device is out of space; nothing was saved.", "O dispositivo está sem espaço; nada foi salvo.";
    ErrUnavailable => "El almacenamiento del navegador no está disponible (¿modo privado?).", "The browser's storage is unavailable (private mode?).", "O armazenamento do navegador não está disponível (modo privado?).";
    ErrStorage => "No se pudo guardar: {}", "Could not save: {}", "Não foi possível salvar: {}";
    ErrTemplate => "La plantilla tiene un error: {}", "The template has an error: {}", "O modelo tem um erro: {}";
    ErrNotFound => "No encontramos ese elemento.", "We could not find that.", "Não encontramos isso.";
    ErrOther => "No se pudo hacer: {}", "That did not work: {}", "Não foi possível: {}";
    // Sync
    SyncConnecting => "Conectando con el servidor…", "Connecting to the server…", "Conectando ao servidor…";
    SyncSynced => "Sincronizado", "Synced", "Sincronizado";
    SyncSyncing => "Sincronizando…", "Syncing…", "Sincronizando…";
    SyncOffline => "Sin conexión: los cambios se enviarán al volver", "Offline: changes will be sent when you are back", "Sem conexão: as alterações serão enviadas ao voltar";
    SyncLocal => "Solo en este dispositivo", "On this device only", "Somente neste dispositivo";
    SyncError => "Error de sincronización:", "Sync error:", "Erro de sincronização:";
    SyncRejected => "({} cambios rechazados por el servidor)", "({} changes refused by the server)", "({} alterações recusadas pelo servidor)";
    SignInTitle => "Inicia sesión para atender tickets", "Sign in to work on tickets", "Entre para atender tickets";
    SignInAgent => "Usuario de agente", "Agent user", "Usuário de agente";
    SignInPassword => "Contraseña", "Password", "Senha";
    SignInButton => "Entrar", "Sign in", "Entrar";
    SignInMissing => "Escribe tu usuario y tu contraseña.", "Enter your user and your password.", "Digite seu usuário e sua senha.";
    SignInWrong => "Usuario o contraseña incorrectos.", "Wrong user or password.", "Usuário ou senha incorretos.";
    SignInNotAgent => "Esa cuenta no es de un agente.", "That account is not an agent's.", "Essa conta não é de um agente.";
    // Attachments
    Attachments => "Archivos adjuntos", "Attachments", "Anexos";
    AttachChosen => "Archivos elegidos", "Chosen files", "Arquivos escolhidos";
    AttachHint => "Capturas o documentos, hasta {} cada uno.", "Screenshots or documents, up to {} each.", "Capturas ou documentos, até {} cada um.";
    AttachRemove => "Quitar {}", "Remove {}", "Remover {}";
    AttachTooLarge => "{} pesa {}; el máximo por archivo es {}.", "{} is {}; the most per file is {}.", "{} tem {}; o máximo por arquivo é {}.";
    AttachFull => "No hay espacio para {}: los adjuntos de este dispositivo ya ocupan el máximo de {}.", "No room for {}: this device's attachments already take the maximum of {}.", "Sem espaço para {}: os anexos deste dispositivo já ocupam o máximo de {}.";
    AttachFailed => "No se pudo guardar el archivo: {}", "The file could not be kept: {}", "Não foi possível guardar o arquivo: {}";
    AttachNotHere => "{} no está en este dispositivo (los adjuntos no se sincronizan).", "{} is not on this device (attachments do not sync).", "{} não está neste dispositivo (anexos não são sincronizados).";
    // Data
    DataTitle => "Datos y copias", "Data and backups", "Dados e cópias";
    DataIntro => "Todo vive en este navegador. Exporta una copia con regularidad; impórtala en otro navegador o dispositivo para seguir allí: lo que ya esté no se duplica.", "Everything lives in this browser. Export a copy regularly; import it in another browser or device to carry on there: nothing already there is duplicated.", "Tudo fica neste navegador. Exporte uma cópia com frequência; importe-a em outro navegador ou dispositivo para continuar lá: o que já existe não é duplicado.";
    ExportAll => "Exportar todo (tickets y ajustes)", "Export everything (tickets and settings)", "Exportar tudo (tickets e configurações)";
    ExportCsv => "Exportar tickets a CSV", "Export tickets as CSV", "Exportar tickets em CSV";
    ExportDone => "Exportados {} eventos.", "Exported {} events.", "Exportados {} eventos.";
    CsvDone => "Exportados {} tickets a CSV.", "Exported {} tickets as CSV.", "Exportados {} tickets em CSV.";
    ImportFile => "Importar una copia", "Import a copy", "Importar uma cópia";
    ImportHint => "Un archivo .json exportado desde Mostrador.", "A .json file exported from Mostrador.", "Um arquivo .json exportado do Mostrador.";
    ImportSettingsToo => "Reemplazar también mis ajustes por los del archivo", "Also replace my settings with the file's", "Substituir também minhas configurações pelas do arquivo";
    ImportProgress => "Importando", "Importing", "Importando";
    ImportDone => "Importación terminada", "Import finished", "Importação concluída";
    ImportSummary => "Se agregaron {} eventos ({} tickets nuevos); {} ya estaban aquí.", "Added {} events ({} new tickets); {} were already here.", "Foram adicionados {} eventos ({} tickets novos); {} já estavam aqui.";
    ImportSettingsApplied => "Los ajustes del archivo se aplican desde ahora.", "The file's settings apply from now on.", "As configurações do arquivo valem a partir de agora.";
    ImportNotAnExport => "Ese archivo no es una copia de Mostrador (o está incompleto). No se importó nada.", "That file is not a Mostrador copy (or it is incomplete). Nothing was imported.", "Esse arquivo não é uma cópia do Mostrador (ou está incompleto). Nada foi importado.";
    ImportNewer => "El archivo es de la versión {} y esta app lee hasta la {}: actualiza la app. No se importó nada.", "The file is version {} and this app reads up to {}: update the app. Nothing was imported.", "O arquivo é da versão {} e este app lê até a {}: atualize o app. Nada foi importado.";
    ImportCorrupt => "El archivo está dañado ({}). No se importó nada.", "The file is damaged ({}). Nothing was imported.", "O arquivo está danificado ({}). Nada foi importado.";
    ImportUnreadable => "No se pudo leer el archivo: {}", "The file could not be read: {}", "Não foi possível ler o arquivo: {}";
    ImportBadSettings => "Los ajustes del archivo no son válidos; desmarca la opción para importar solo los tickets. No se importó nada.", "The file's settings are not valid; untick the option to import the tickets only. Nothing was imported.", "As configurações do arquivo não são válidas; desmarque a opção para importar só os tickets. Nada foi importado.";
}
