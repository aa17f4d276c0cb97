//! Every message of the interface in Spanish, English and Portuguese. `{name}` marks a value
//! filled by name by `I18n::tf` (see [`crate::i18n::fill`]); the three languages of a message
//! have the same placeholders in the same order (checked by `cargo xtask tidy`). Adding a key
//! without all three translations does not compile.
//!
//! A message that counts something ("3 tickets") is a [`Plural`]: each language gives its
//! `[one, other]` forms, the count is `{count}`, and `I18n::tn` picks the form by the language's
//! rule (`crate::i18n::plural_form`). A plural without both forms in all three languages does not
//! compile either.
//!
//! Keys only the agent console shows are listed under `console` (and `console_plurals`) and exist
//! only with the `console` feature, so the customer widget carries neither them nor their texts;
//! a portal screen that uses one does not compile until the key moves to `shared` (`plurals`).

use crate::i18n::Lang;

macro_rules! messages {
    (
        shared { $($key:ident => $es:literal, $en:literal, $pt:literal;)* }
        console { $($ckey:ident => $ces:literal, $cen:literal, $cpt:literal;)* }
        plurals { $($pkey:ident => [$pes1:literal, $pes:literal], [$pen1:literal, $pen:literal], [$ppt1:literal, $ppt:literal];)* }
        console_plurals { $($cpkey:ident => [$cpes1:literal, $cpes:literal], [$cpen1:literal, $cpen:literal], [$cppt1:literal, $cppt:literal];)* }
    ) => {
        /// A message of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key {
            $($key,)*
            $(#[cfg(feature = "console")] $ckey,)*
        }

        /// The message in `lang`.
        pub fn text(lang: Lang, key: Key) -> &'static str {
            match key {
                $(Key::$key => match lang { Lang::Es => $es, Lang::En => $en, Lang::Pt => $pt },)*
                $(
                    #[cfg(feature = "console")]
                    Key::$ckey => match lang { Lang::Es => $ces, Lang::En => $cen, Lang::Pt => $cpt },
                )*
            }
        }

        /// A message that counts something: its form depends on the count.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Plural {
            $($pkey,)*
            $(#[cfg(feature = "console")] $cpkey,)*
        }

        /// The `[one, other]` forms of the message in `lang`.
        pub fn plural_texts(lang: Lang, key: Plural) -> [&'static str; 2] {
            match key {
                $(Plural::$pkey => match lang {
                    Lang::Es => [$pes1, $pes],
                    Lang::En => [$pen1, $pen],
                    Lang::Pt => [$ppt1, $ppt],
                },)*
                $(
                    #[cfg(feature = "console")]
                    Plural::$cpkey => match lang {
                        Lang::Es => [$cpes1, $cpes],
                        Lang::En => [$cpen1, $cpen],
                        Lang::Pt => [$cppt1, $cppt],
                    },
                )*
            }
        }

        /// Every message and plural form in every language, for the tests.
        #[cfg(test)]
        pub fn all_texts() -> Vec<(&'static str, Lang, &'static str)> {
            let mut out = Vec::new();
            for lang in Lang::ALL {
                $(out.push((stringify!($key), lang, text(lang, Key::$key)));)*
                $(
                    #[cfg(feature = "console")]
                    out.push((stringify!($ckey), lang, text(lang, Key::$ckey)));
                )*
                $(for t in plural_texts(lang, Plural::$pkey) { out.push((stringify!($pkey), lang, t)); })*
                $(
                    #[cfg(feature = "console")]
                    for t in plural_texts(lang, Plural::$cpkey) { out.push((stringify!($cpkey), lang, t)); }
                )*
            }
            out
        }
    };
}

messages! {
    shared {
        // Shell
        HelpCenter => "Centro de ayuda", "Help center", "Central de ajuda";
        AgentConsole => "Consola de agentes", "Agent console", "Console de agentes";
        Language => "Idioma", "Language", "Idioma";
        SignedInAs => "Sesión de", "Signed in as", "Conectado como";
        Loading => "Cargando…", "Loading…", "Carregando…";
        NoConsoleInBuild => "Esta versión trae solo el centro de ayuda; la consola de agentes se carga aparte.", "This build has the help center only; the agent console loads separately.", "Esta versão traz só a central de ajuda; o console de agentes é carregado à parte.";
        StorageRefused => "Este navegador no deja guardar nada del centro de ayuda en este dispositivo: lo que escribas se guarda solo mientras esta página esté abierta.", "This browser does not let the help desk keep anything on this device: what you write is kept only while this page is open.", "Este navegador não deixa a central de ajuda guardar nada neste dispositivo: o que você escrever fica só enquanto esta página estiver aberta.";
        StorageRefusedSynced => "Tus tickets llegan igualmente al equipo.", "Your tickets still reach the team.", "Seus tickets chegam à equipe mesmo assim.";
        StorageRefusedLocal => "Al cerrarla se pierde.", "Closing it loses it.", "Ao fechá-la, tudo se perde.";
        StorageAccessAsk => "Permitir guardar en este dispositivo", "Allow keeping data on this device", "Permitir guardar neste dispositivo";
        StorageAccessDenied => "El navegador no lo permitió.", "The browser did not allow it.", "O navegador não permitiu.";
        LoadFailed => "No se pudo abrir el centro de ayuda.", "The help desk could not open.", "Não foi possível abrir a central de ajuda.";
        PartUnavailable => "Esta sección no se pudo descargar. Revisa la conexión.", "This section could not be downloaded. Check the connection.", "Esta seção não pôde ser baixada. Verifique a conexão.";
        TryAgain => "Reintentar", "Try again", "Tentar de novo";
        PortalNavigation => "Secciones del centro de ayuda", "Help center sections", "Seções da central de ajuda";
        // Portal
        AssistantTab => "Asistente", "Assistant", "Assistente";
        AssistantTitle => "Pregunta al asistente", "Ask the assistant", "Pergunte ao assistente";
        AssistantPickFlow => "¡Hola! ¿En qué te podemos ayudar?", "Hi! What can we help you with?", "Olá! Como podemos ajudar?";
        AssistantOptions => "Respuestas posibles", "Possible answers", "Respostas possíveis";
        AssistantYesSolved => "Sí, está resuelto", "Yes, that solved it", "Sim, resolveu";
        AssistantNotSolved => "No, sigo necesitando ayuda", "No, I still need help", "Não, ainda preciso de ajuda";
        AssistantGlad => "¡Qué bien! Si necesitas algo más, aquí estamos.", "Great! If you need anything else, we are here.", "Que bom! Se precisar de algo mais, estamos aqui.";
        AssistantTalkToPerson => "Hablar con una persona", "Talk to a person", "Falar com uma pessoa";
        AssistantWriteTicket => "Escribir al equipo", "Write to the team", "Escrever para a equipe";
        AssistantStartOver => "Empezar de nuevo", "Start over", "Começar de novo";
        AssistantAsk => "O escribe tu pregunta", "Or type your question", "Ou digite sua pergunta";
        AssistantSearch => "Buscar", "Search", "Buscar";
        AssistantFound => "Esto puede ayudarte:", "These may help:", "Isto pode ajudar:";
        AssistantNothingFound => "No encontré artículos sobre eso. Puedes escribir al equipo.", "I found no articles about that. You can write to the team.", "Não encontrei artigos sobre isso. Você pode escrever para a equipe.";
        AssistantContinue => "Continuar", "Continue", "Continuar";
        AssistantLost => "Esta conversación ya no puede seguir: el asistente ha cambiado. Empieza de nuevo o escribe al equipo.", "This conversation cannot go on: the assistant has changed. Start over or write to the team.", "Esta conversa não pode continuar: o assistente mudou. Comece de novo ou escreva para a equipe.";
        AssistantArticleGone => "Ese artículo ya no está disponible.", "That article is no longer available.", "Esse artigo não está mais disponível.";
        AssistantName => "Asistente", "Assistant", "Assistente";
        AssistantYou => "Tú", "You", "Você";
        AssistantTranscriptHeading => "— Conversación con el asistente —", "— Conversation with the assistant —", "— Conversa com o assistente —";
        AssistantAttached => "Tu conversación con el asistente se adjunta al ticket.", "Your conversation with the assistant is attached to the ticket.", "Sua conversa com o assistente é anexada ao ticket.";
        AssistantPreviewHandOff => "(Vista previa) Aquí se abriría el formulario del ticket: tipo {type}, categoría {category}, etiquetas: {tags}.", "(Preview) The ticket form would open here: type {type}, category {category}, tags: {tags}.", "(Prévia) Aqui abriria o formulário do ticket: tipo {type}, categoria {category}, etiquetas: {tags}.";
        AssistantShowTranscript => "Ver la conversación", "Show the conversation", "Ver a conversa";
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
        SendTicket => "Enviar ticket", "Send ticket", "Enviar ticket";
        Sending => "Enviando…", "Sending…", "Enviando…";
        SuggestedArticles => "Quizá esto te ayude:", "These articles may answer your question:", "Estes artigos podem ajudar:";
        TicketCreated => "Recibimos tu ticket", "We received your ticket", "Recebemos seu ticket";
        YourTicketCode => "Tu código de ticket es", "Your ticket code is", "O código do seu ticket é";
        WhatNext => "Te responderemos aquí: verás la respuesta en «Mis tickets». Si nos escribes por otro medio, menciona el código.", "We will answer here: you will find the reply under “My tickets”. If you contact us another way, quote the code.", "Responderemos aqui: você verá a resposta em “Meus tickets”. Se falar conosco por outro meio, informe o código.";
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
        ScoreLabel => "{score} de 5", "{score} of 5", "{score} de 5";
        RatingComment => "Comentario (opcional)", "Comment (optional)", "Comentário (opcional)";
        SendRating => "Enviar valoración", "Send rating", "Enviar avaliação";
        YouRated => "Gracias: valoraste este ticket con {score} de 5.", "Thank you: you rated this ticket {score} of 5.", "Obrigado: você avaliou este ticket com {score} de 5.";
        SearchArticles => "Buscar en la ayuda", "Search help articles", "Pesquisar na ajuda";
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
        ChannelWeb => "Formulario web", "Web form", "Formulário web";
        ChannelChat => "Chat", "Chat", "Chat";
        ChannelEmail => "Correo", "Email", "E-mail";
        ChannelPhone => "Teléfono", "Phone", "Telefone";
        ChannelInPerson => "En persona", "In person", "Presencial";
        ChannelApi => "API", "API", "API";
        // Console
        Yes => "Sí", "Yes", "Sim";
        No => "No", "No", "Não";
        NotSet => "Sin indicar", "Not set", "Não indicado";
        ErrFieldValue => "Este valor no sirve para «{field}».", "This is not a valid value for “{field}”.", "Este valor não serve para “{field}”.";
        Urgency => "Urgencia", "Urgency", "Urgência";
        InternalNote => "Nota interna", "Internal note", "Nota interna";
        // Errors
        ErrEmptySubject => "Escribe un asunto.", "Please write a subject.", "Escreva um assunto.";
        ErrEmptyBody => "Escribe un mensaje.", "Please write a message.", "Escreva uma mensagem.";
        ErrNameRequired => "Dinos tu nombre.", "Please tell us your name.", "Diga-nos o seu nome.";
        ErrEmailRequired => "Escribe tu correo para poder responderte.", "Please give an email so we can answer you.", "Informe seu e-mail para podermos responder.";
        ErrInvalidEmail => "«{value}» no es una dirección de correo.", "“{value}” is not an email address.", "“{value}” não é um endereço de e-mail.";
        ErrInvalidPhone => "«{value}» no es un número de teléfono.", "“{value}” is not a phone number.", "“{value}” não é um número de telefone.";
        ErrInvalidTag => "La etiqueta «{tag}» solo puede tener letras, cifras y - _ : .", "Tag “{tag}” may only have letters, digits and - _ : .", "A etiqueta “{tag}” só pode ter letras, dígitos e - _ : .";
        ErrRequiredField => "Completa el campo «{field}».", "Please fill in “{field}”.", "Preencha o campo “{field}”.";
        ErrRating => "Elige una puntuación del 1 al 5.", "Choose a score from 1 to 5.", "Escolha uma nota de 1 a 5.";
        ErrEmptyReason => "Explica por qué se escala.", "Say why the ticket is escalated.", "Explique por que o ticket é escalado.";
        ErrPostponeInPast => "La fecha debe estar en el futuro.", "The date must be in the future.", "A data deve estar no futuro.";
        ErrIllegal => "No se puede hacer eso con un ticket en estado {status}.", "That cannot be done while the ticket is {status}.", "Isso não pode ser feito com o ticket em {status}.";
        ErrForbidden => "No tienes permiso para hacer eso.", "You are not allowed to do that.", "Você não tem permissão para isso.";
        ErrNotRequester => "Este ticket es de otra persona.", "This ticket belongs to someone else.", "Este ticket é de outra pessoa.";
        ErrCustomerContext => "Los datos del cliente que envió el sitio no son válidos; avisa al sitio.", "The customer details the site sent are not valid; tell the site.", "Os dados do cliente que o site enviou não são válidos; avise o site.";
        ErrMerged => "El ticket {code} se fusionó en {into}; continúa allí.", "Ticket {code} was merged into {into}; continue there.", "O ticket {code} foi mesclado em {into}; continue lá.";
        ErrMergeIntoSelf => "Un ticket no se puede fusionar consigo mismo.", "A ticket cannot be merged into itself.", "Um ticket não pode ser mesclado nele mesmo.";
        ErrNothingToMerge => "Elige al menos dos tickets para fusionar.", "Choose at least two tickets to merge.", "Escolha pelo menos dois tickets para mesclar.";
        ErrQuota => "El dispositivo se quedó sin espacio; no se guardó nada.", "This device is out of space; nothing was saved.", "O dispositivo está sem espaço; nada foi salvo.";
        ErrUnavailable => "El almacenamiento del navegador no está disponible (¿modo privado?).", "The browser's storage is unavailable (private mode?).", "O armazenamento do navegador não está disponível (modo privado?).";
        ErrStorage => "No se pudo guardar: {detail}", "Could not save: {detail}", "Não foi possível salvar: {detail}";
        ErrUnloaded => "Falta una parte del centro de ayuda que no se pudo descargar. Revisa la conexión y vuelve a intentarlo.", "A part of the help desk this needs could not be downloaded. Check the connection and try again.", "Falta uma parte da central de ajuda que não pôde ser baixada. Verifique a conexão e tente de novo.";
        ErrNotFound => "No encontramos ese elemento.", "We could not find that.", "Não encontramos isso.";
        ErrFailed => "No se pudo hacer.", "That did not work.", "Não foi possível.";
        ErrNoTicket => "Ese ticket no existe; abre uno primero.", "There is no such ticket; open one first.", "Esse ticket não existe; abra um primeiro.";
        ErrAlreadyOpened => "El ticket {code} ya existe.", "Ticket {code} already exists.", "O ticket {code} já existe.";
        ErrNotDue => "Aún no toca: vence el {due}.", "Not due yet: due {due}.", "Ainda não venceu: vence em {due}.";
        ErrUnknownField => "No hay un campo «{field}»; defínelo primero en los ajustes.", "There is no field “{field}”; define it in the settings first.", "Não existe o campo “{field}”; defina-o primeiro nas configurações.";
        ErrAttachmentIncomplete => "Un adjunto no tiene nombre o contenido.", "An attachment has no name or no content.", "Um anexo não tem nome ou conteúdo.";
        ErrStoreConflict => "Un cambio llegó dos veces con contenido distinto; se rechazó la copia nueva.", "A change arrived twice with different contents; the new copy was refused.", "Uma alteração chegou duas vezes com conteúdo diferente; a cópia nova foi recusada.";
        ErrStoreCorrupt => "Los datos guardados no se pueden leer ({detail}).", "The stored data cannot be read ({detail}).", "Os dados guardados não podem ser lidos ({detail}).";
        // Sync
        SyncConnecting => "Conectando con el servidor…", "Connecting to the server…", "Conectando ao servidor…";
        SyncSynced => "Sincronizado", "Synced", "Sincronizado";
        SyncSyncing => "Sincronizando…", "Syncing…", "Sincronizando…";
        SyncOffline => "Sin conexión: los cambios se enviarán al volver", "Offline: changes will be sent when you are back", "Sem conexão: as alterações serão enviadas ao voltar";
        SyncLocal => "Solo en este dispositivo", "On this device only", "Somente neste dispositivo";
        SyncError => "Error de sincronización:", "Sync error:", "Erro de sincronização:";
        ServerUnreachable => "No hay conexión con el servidor.", "The server cannot be reached.", "Não há conexão com o servidor.";
        ServerBusy => "El servidor está ocupado; prueba de nuevo en un momento.", "The server is busy; try again in a moment.", "O servidor está ocupado; tente de novo em instantes.";
        SignInTitle => "Inicia sesión para atender tickets", "Sign in to work on tickets", "Entre para atender tickets";
        SignInAgent => "Usuario de agente", "Agent user", "Usuário de agente";
        SignInPassword => "Contraseña", "Password", "Senha";
        SignInButton => "Entrar", "Sign in", "Entrar";
        SignInNoAgent => "Escribe tu usuario de agente.", "Enter your agent user.", "Digite seu usuário de agente.";
        SignInNoPassword => "Escribe tu contraseña.", "Enter your password.", "Digite sua senha.";
        SignInWrong => "Usuario o contraseña incorrectos.", "Wrong user or password.", "Usuário ou senha incorretos.";
        SignInNotAgent => "Esa cuenta no es de un agente.", "That account is not an agent's.", "Essa conta não é de um agente.";
        // Attachments
        Attachments => "Archivos adjuntos", "Attachments", "Anexos";
        AttachChosen => "Archivos elegidos", "Chosen files", "Arquivos escolhidos";
        AttachHint => "Capturas o documentos, hasta {size} cada uno.", "Screenshots or documents, up to {size} each.", "Capturas ou documentos, até {size} cada um.";
        AttachRemove => "Quitar {name}", "Remove {name}", "Remover {name}";
        AttachTooLarge => "{name} pesa {size}; el máximo por archivo es {max}.", "{name} is {size}; the most per file is {max}.", "{name} tem {size}; o máximo por arquivo é {max}.";
        AttachFull => "No hay espacio para {name}: los adjuntos de este dispositivo ya ocupan el máximo de {max}.", "No room for {name}: this device's attachments already take the maximum of {max}.", "Sem espaço para {name}: os anexos deste dispositivo já ocupam o máximo de {max}.";
        AttachFailed => "No se pudo guardar el archivo: {detail}", "The file could not be kept: {detail}", "Não foi possível guardar o arquivo: {detail}";
        AttachNotHere => "{name} no está en este dispositivo.", "{name} is not on this device.", "{name} não está neste dispositivo.";
        AttachType => "{name} no se puede adjuntar (tipo {type}); adjunta imágenes, PDF, texto, documentos de oficina, audio, vídeo o zip.", "{name} cannot be attached (type {type}); attach images, PDFs, text, office documents, audio, video or zip files.", "{name} não pode ser anexado (tipo {type}); anexe imagens, PDFs, texto, documentos de escritório, áudio, vídeo ou zip.";
        AttachFetching => "Trayendo {name} del servidor…", "Fetching {name} from the server…", "Buscando {name} no servidor…";
        AttachNotUploaded => "{name} aún no ha llegado al servidor desde el dispositivo donde se adjuntó; prueba más tarde.", "{name} has not yet reached the server from the device it was attached on; try again later.", "{name} ainda não chegou ao servidor a partir do dispositivo onde foi anexado; tente mais tarde.";
        AttachGone => "{name} ya no está disponible.", "{name} is no longer available.", "{name} não está mais disponível.";
        AttachDamaged => "{name} llegó dañado y no se guardó; prueba otra vez.", "{name} arrived damaged and was not kept; try again.", "{name} chegou danificado e não foi guardado; tente de novo.";
        AttachDownloadFailed => "No se pudo traer {name}: {detail}", "Could not fetch {name}: {detail}", "Não foi possível buscar {name}: {detail}";
        // Settings
        ErrRequiredValue => "Este campo es obligatorio.", "This field is required.", "Este campo é obrigatório.";
    }
    // Only the agent console shows these: the customer widget is built without them.
    console {
        // Errors of the console's editors
        ErrTemplateUnknown => "La plantilla usa un marcador desconocido, {name}; los disponibles son: {known}.", "The template uses an unknown placeholder, {name}; the ones you can use are: {known}.", "O modelo usa um marcador desconhecido, {name}; os disponíveis são: {known}.";
        ErrTemplateUnclosed => "Un marcador de la plantilla se abre en el carácter {at} y no se cierra.", "A placeholder of the template opens at character {at} and is never closed.", "Um marcador do modelo abre no caractere {at} e não é fechado.";
        ErrKbEmptyTitle => "El artículo necesita un título.", "The article needs a title.", "O artigo precisa de um título.";
        ErrKbTitleTooLong => "El título es demasiado largo.", "The title is too long.", "O título é longo demais.";
        ErrKbBadSlug => "La dirección «{slug}» solo puede tener a-z, 0-9 y guiones sueltos entre ellos.", "Address “{slug}” may only have a-z, 0-9 and single hyphens between them.", "O endereço “{slug}” só pode ter a-z, 0-9 e hífens simples entre eles.";
        ErrKbBadLocale => "«{locale}» no es un idioma como «es» o «pt-BR».", "“{locale}” is not a language like “es” or “pt-BR”.", "“{locale}” não é um idioma como “es” ou “pt-BR”.";
        ErrKbStale => "El artículo cambió mientras lo editabas; vuelve a abrirlo.", "The article changed while you were editing it; open it again.", "O artigo mudou enquanto você o editava; abra-o de novo.";
        ErrKbDuplicateSlug => "Otro artículo en «{locale}» ya usa la dirección «{slug}».", "Another article in “{locale}” already uses address “{slug}”.", "Outro artigo em “{locale}” já usa o endereço “{slug}”.";
        // Integrations
        IntTitle => "Integraciones", "Integrations", "Integrações";
        NotifyTurnOn => "Activar notificaciones del navegador", "Turn on browser notifications", "Ativar notificações do navegador";
        NotifyOn => "Notificaciones del navegador activadas", "Browser notifications are on", "Notificações do navegador ativadas";
        NotifyBlocked => "El navegador bloquea las notificaciones de este sitio; permítelas en su configuración", "This browser blocks notifications from this site; allow them in its site settings", "O navegador bloqueia as notificações deste site; permita-as nas configurações";
        AlertNewTicket => "Ticket nuevo en tu cola", "New ticket in your queue", "Novo ticket na sua fila";
        AlertAssigned => "Te asignaron un ticket", "A ticket was assigned to you", "Um ticket foi atribuído a você";
        AlertCustomerReplied => "El cliente respondió", "The customer replied", "O cliente respondeu";
        AlertUpdated => "Un ticket cambió", "A ticket changed", "Um ticket mudou";
        IntHint => "Conecta tu CRM o ERP: claves para la API REST y webhooks firmados (documentados en docs/openapi.yaml).", "Connect your CRM or ERP: keys for the REST API and signed webhooks (documented in docs/openapi.yaml).", "Conecte seu CRM ou ERP: chaves para a API REST e webhooks assinados (documentados em docs/openapi.yaml).";
        IntNeedsServer => "Las integraciones viven en el servidor de sincronización: conecta la consola a uno e inicia sesión como administrador.", "Integrations live on the sync server: connect the console to one and sign in as an admin.", "As integrações ficam no servidor de sincronização: conecte o console a um e entre como administrador.";
        IntNever => "Nunca", "Never", "Nunca";
        IntKeys => "Claves de API", "API keys", "Chaves de API";
        IntKeyName => "Nombre de la clave", "Key name", "Nome da chave";
        IntScopes => "Permisos", "Scopes", "Permissões";
        IntCreateKey => "Crear clave", "Create key", "Criar chave";
        IntNewKey => "Clave nueva", "New key", "Chave nova";
        IntKeySecret => "Cópiala ahora: no se volverá a mostrar.", "Copy it now: it will not be shown again.", "Copie agora: ela não será mostrada de novo.";
        IntNoKeys => "Todavía no hay claves.", "No keys yet.", "Ainda não há chaves.";
        IntLastUsed => "Último uso", "Last used", "Último uso";
        IntState => "Estado", "State", "Estado";
        IntRevoke => "Revocar", "Revoke", "Revogar";
        IntRevoked => "Revocada", "Revoked", "Revogada";
        IntPickOne => "Elige al menos una opción.", "Choose at least one.", "Escolha pelo menos uma opção.";
        IntWebhooks => "Webhooks", "Webhooks", "Webhooks";
        IntUrl => "URL del destino (HTTPS)", "Endpoint URL (HTTPS)", "URL do destino (HTTPS)";
        IntKinds => "Eventos", "Events", "Eventos";
        IntAddWebhook => "Añadir webhook", "Add webhook", "Adicionar webhook";
        IntSigningSecret => "Secreto de firma", "Signing secret", "Segredo de assinatura";
        IntWebhookSecret => "Cópialo ahora: no se volverá a mostrar. Con él tu sistema comprueba la cabecera Mostrador-Signature.", "Copy it now: it will not be shown again. Your system checks the Mostrador-Signature header with it.", "Copie agora: ele não será mostrado de novo. Com ele seu sistema confere o cabeçalho Mostrador-Signature.";
        IntNoWebhooks => "Todavía no hay webhooks.", "No webhooks yet.", "Ainda não há webhooks.";
        IntActive => "Activo", "Active", "Ativo";
        IntFailing => "Falla desde {since}", "Failing since {since}", "Falhando desde {since}";
        IntDisabled => "Desactivado el {date} tras un día de fallos", "Disabled on {date} after a day of failures", "Desativado em {date} após um dia de falhas";
        IntEnable => "Activar", "Enable", "Ativar";
        IntRemove => "Quitar", "Remove", "Remover";
        IntDeliveries => "Entregas", "Deliveries", "Entregas";
        IntNoDeliveries => "Sin entregas todavía.", "No deliveries yet.", "Sem entregas ainda.";
        IntAnswer => "Respuesta", "Answer", "Resposta";
        IntAttempts => "Intentos", "Attempts", "Tentativas";
        IntDelivered => "Entregado", "Delivered", "Entregue";
        IntPending => "Pendiente", "Pending", "Pendente";
        IntResend => "Reenviar", "Send again", "Reenviar";
        // Portal
        Phone => "Teléfono", "Phone", "Telefone";
        // Statuses, priorities, types, channels
        Channel => "Canal", "Channel", "Canal";
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
        SaveThisView => "Guardar esta vista…", "Save this view…", "Salvar esta visão…";
        Menu => "Menú", "Menu", "Menu";
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
        RangeOf => "{first}–{last} de {total}", "{first}–{last} of {total}", "{first}–{last} de {total}";
        SelectAll => "Seleccionar todos", "Select all", "Selecionar todos";
        SelectTicket => "Seleccionar {code}", "Select {code}", "Selecionar {code}";
        Requester => "Solicitante", "Requester", "Solicitante";
        Assignee => "Asignado a", "Assignee", "Responsável";
        Sla => "SLA", "SLA", "SLA";
        Previous => "Anterior", "Previous", "Anterior";
        Next => "Siguiente", "Next", "Próximo";
        Nobody => "Nadie", "Nobody", "Ninguém";
        BulkActions => "Acciones en lote", "Bulk actions", "Ações em massa";
        AssignTo => "Asignar a", "Assign to", "Atribuir a";
        Assign => "Asignar", "Assign", "Atribuir";
        NewStatus => "Nuevo estado", "New status", "Novo status";
        SetStatus => "Cambiar estado", "Set status", "Alterar status";
        Resolve => "Resolver", "Resolve", "Resolver";
        Close => "Cerrar", "Close", "Fechar";
        PostponeUntil => "Posponer hasta", "Postpone until", "Adiar até";
        Postpone => "Posponer", "Postpone", "Adiar";
        PostponedUntil => "Pospuesto hasta", "Postponed until", "Adiado até";
        WakeNow => "Reactivar ahora", "Wake now", "Reativar agora";
        FieldLabel => "Nombre visible", "Label", "Rótulo";
        CustomersSetUrgency => "Los clientes eligen la urgencia", "Customers choose the urgency", "Os clientes escolhem a urgência";
        ErrDateMissing => "Indique una fecha y hora.", "Enter a date and time.", "Indique uma data e hora.";
        Impact => "Impacto", "Impact", "Impacto";
        SetPriority => "Cambiar prioridad", "Set priority", "Alterar prioridade";
        AddTags => "Etiquetas para añadir", "Tags to add", "Etiquetas a adicionar";
        AddTagsButton => "Añadir etiquetas", "Add tags", "Adicionar etiquetas";
        MergeIntoFirst => "Fusionar en el primero", "Merge into the first", "Mesclar no primeiro";
        BackToInbox => "← Volver a la bandeja", "← Back to inbox", "← Voltar à caixa de entrada";
        TicketDetails => "Detalles del ticket", "Ticket details", "Detalhes do ticket";
        ComposerMode => "Tipo de mensaje", "Message kind", "Tipo de mensagem";
        PublicReply => "Respuesta pública", "Public reply", "Resposta pública";
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
        EscalateTo => "Escalar a {level}", "Escalate to {level}", "Escalar para {level}";
        Tags => "Etiquetas", "Tags", "Etiquetas";
        NewTag => "Nueva etiqueta", "New tag", "Nova etiqueta";
        AddTag => "Añadir etiqueta", "Add tag", "Adicionar etiqueta";
        RemoveTag => "Quitar la etiqueta {tag}", "Remove tag {tag}", "Remover a etiqueta {tag}";
        SlaClocks => "Relojes de SLA", "SLA clocks", "Relógios de SLA";
        NoSlaPolicy => "Ninguna política de SLA se aplica a este ticket.", "No SLA policy applies to this ticket.", "Nenhuma política de SLA se aplica a este ticket.";
        SlaFirstResponse => "Primera respuesta", "First response", "Primeira resposta";
        SlaNextResponse => "Siguiente respuesta", "Next response", "Próxima resposta";
        SlaResolution => "Resolución", "Resolution", "Resolução";
        SlaRunning => "En curso", "Running", "Em curso";
        SlaPaused => "En pausa", "Paused", "Pausado";
        SlaAtRisk => "En riesgo", "At risk", "Em risco";
        SlaBreached => "Incumplido", "Breached", "Violado";
        AgoNow => "ahora", "just now", "agora";
        AgoMinutes => "hace {n} min", "{n} min ago", "há {n} min";
        AgoHours => "hace {n} h", "{n} h ago", "há {n} h";
        AgoDays => "hace {n} d", "{n} d ago", "há {n} d";
        SlaDueIn => "vence en {duration}", "due in {duration}", "vence em {duration}";
        SlaLate => "{duration} de retraso", "{duration} late", "{duration} de atraso";
        NoSla => "Sin SLA", "No SLA", "Sem SLA";
        ManageTitle => "Administrar", "Manage", "Gerenciar";
        SlaMet => "Cumplido", "Met", "Cumprido";
        SlaMetLate => "Cumplido con retraso", "Met late", "Cumprido com atraso";
        SlaCancelled => "Cancelado", "Cancelled", "Cancelado";
        SlaNotApplicable => "No aplica", "Not applicable", "Não se aplica";
        TimeLeft => "quedan {duration} (vence {due})", "{duration} left (due {due})", "faltam {duration} (vence {due})";
        Overdue => "vencido hace {duration}", "{duration} overdue", "vencido há {duration}";
        OtherTickets => "Otros tickets", "Other tickets", "Outros tickets";
        NoOtherTickets => "Ningún otro ticket.", "No other tickets.", "Nenhum outro ticket.";
        CtxTitle => "Datos del sitio", "From the site", "Dados do site";
        CtxPlan => "Plan", "Plan", "Plano";
        CtxSince => "Cliente desde", "Customer since", "Cliente desde";
        CtxOrders => "Pedidos", "Orders", "Pedidos";
        CtxCrm => "Abrir en el CRM (nueva pestaña)", "Open in the CRM (new tab)", "Abrir no CRM (nova aba)";
        History => "Historial", "History", "Histórico";
        AuditOpened => "abrió el ticket", "opened the ticket", "abriu o ticket";
        AuditReplied => "respondió", "replied", "respondeu";
        AuditNote => "añadió una nota interna", "added an internal note", "adicionou uma nota interna";
        AuditStatus => "cambió el estado de {from} a {to}", "changed the status from {from} to {to}", "mudou o status de {from} para {to}";
        AuditPriority => "cambió la prioridad de {from} a {to}", "changed the priority from {from} to {to}", "mudou a prioridade de {from} para {to}";
        AuditAssignee => "reasignó de {from} a {to}", "reassigned from {from} to {to}", "reatribuiu de {from} para {to}";
        AuditLevel => "escaló de {from} a {to}: {reason}", "escalated from {from} to {to}: {reason}", "escalou de {from} para {to}: {reason}";
        AuditTags => "etiquetas añadidas: {added}; quitadas: {removed}", "tags added: {added}; removed: {removed}", "etiquetas adicionadas: {added}; removidas: {removed}";
        AuditRated => "valoró con {score} de 5", "rated {score} of 5", "avaliou com {score} de 5";
        AuditMergedInto => "fusionado en {code}", "merged into {code}", "mesclado em {code}";
        AuditMergedFrom => "absorbió {codes}", "absorbed {codes}", "absorveu {codes}";
        AuditChanged => "cambió: {what}", "changed: {what}", "alterou: {what}";
        AuditPostponed => "pospuso hasta {until}", "postponed until {until}", "adiou até {until}";
        AuditTeam => "cambió el equipo de {from} a {to}", "changed the team from {from} to {to}", "mudou a equipe de {from} para {to}";
        AuditWatchers => "seguidores añadidos: {added}; quitados: {removed}", "watchers added: {added}; removed: {removed}", "observadores adicionados: {added}; removidos: {removed}";
        AuditFollowUp => "abrió el seguimiento {code}", "opened the follow-up {code}", "abriu o acompanhamento {code}";
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
        // Data
        DataTitle => "Datos y copias", "Data and backups", "Dados e cópias";
        DataIntro => "Todo vive en este navegador. Exporta una copia con regularidad; impórtala en otro navegador o dispositivo para seguir allí: lo que ya esté no se duplica.", "Everything lives in this browser. Export a copy regularly; import it in another browser or device to carry on there: nothing already there is duplicated.", "Tudo fica neste navegador. Exporte uma cópia com frequência; importe-a em outro navegador ou dispositivo para continuar lá: o que já existe não é duplicado.";
        ExportAll => "Exportar todo (tickets y ajustes)", "Export everything (tickets and settings)", "Exportar tudo (tickets e configurações)";
        ExportCsv => "Exportar tickets a CSV", "Export tickets as CSV", "Exportar tickets em CSV";
        ImportFile => "Importar una copia", "Import a copy", "Importar uma cópia";
        ImportHint => "Un archivo .json exportado desde Mostrador.", "A .json file exported from Mostrador.", "Um arquivo .json exportado do Mostrador.";
        ImportSettingsToo => "Reemplazar también mis ajustes por los del archivo", "Also replace my settings with the file's", "Substituir também minhas configurações pelas do arquivo";
        ImportProgress => "Importando", "Importing", "Importando";
        ImportDone => "Importación terminada", "Import finished", "Importação concluída";
        // `events`, `tickets` and `already` are `ImportEvents`, `ImportNewTickets` and `ImportAlready`.
        ImportSummary => "Agregados: {events} ({tickets}); {already}.", "Added {events} ({tickets}); {already}.", "Adicionados: {events} ({tickets}); {already}.";
        ImportSettingsApplied => "Los ajustes del archivo se aplican desde ahora.", "The file's settings apply from now on.", "As configurações do arquivo valem a partir de agora.";
        ImportNotAnExport => "Ese archivo no es una copia de Mostrador (o está incompleto). No se importó nada.", "That file is not a Mostrador copy (or it is incomplete). Nothing was imported.", "Esse arquivo não é uma cópia do Mostrador (ou está incompleto). Nada foi importado.";
        ImportNewer => "El archivo es de la versión {found} y esta app lee hasta la {supported}: actualiza la app. No se importó nada.", "The file is version {found} and this app reads up to {supported}: update the app. Nothing was imported.", "O arquivo é da versão {found} e este app lê até a {supported}: atualize o app. Nada foi importado.";
        ImportCorrupt => "El archivo está dañado ({detail}). No se importó nada.", "The file is damaged ({detail}). Nothing was imported.", "O arquivo está danificado ({detail}). Nada foi importado.";
        ImportUnreadable => "No se pudo leer el archivo: {detail}", "The file could not be read: {detail}", "Não foi possível ler o arquivo: {detail}";
        ImportBadSettings => "Los ajustes del archivo no son válidos; desmarca la opción para importar solo los tickets. No se importó nada.", "The file's settings are not valid; untick the option to import the tickets only. Nothing was imported.", "As configurações do arquivo não são válidas; desmarque a opção para importar só os tickets. Nada foi importado.";
        // Dashboard
        DashTitle => "Indicadores", "Dashboard", "Indicadores";
        DashFilters => "Filtros de los indicadores", "Dashboard filters", "Filtros dos indicadores";
        DashPeriod => "Período", "Period", "Período";
        DashEveryone => "Todos", "Everyone", "Todos";
        DashAllChannels => "Todos los canales", "All channels", "Todos os canais";
        DashCreated => "Tickets creados", "Tickets created", "Tickets criados";
        DashSolved => "Tickets resueltos", "Tickets solved", "Tickets resolvidos";
        DashFirstResponse => "Primera respuesta (mediana)", "First response (median)", "Primeira resposta (mediana)";
        DashResolution => "Resolución (mediana)", "Resolution (median)", "Resolução (mediana)";
        DashSla => "SLA cumplido (respuesta / resolución)", "SLA met (response / resolution)", "SLA cumprido (resposta / resolução)";
        DashReopen => "Reabiertos", "Reopened", "Reabertos";
        DashFcr => "Resueltos al primer contacto", "First-contact resolution", "Resolvidos no primeiro contato";
        DashSatisfaction => "Satisfacción", "Satisfaction", "Satisfação";
        DashVolume => "Tickets creados por canal", "Tickets created by channel", "Tickets criados por canal";
        DashResponseTrend => "Tiempo de primera respuesta (mediana)", "First response time (median)", "Tempo de primeira resposta (mediana)";
        DashResponseP90 => "Tiempo de primera respuesta (p90)", "First response time (p90)", "Tempo de primeira resposta (p90)";
        DashResolutionTrend => "Tiempo de resolución (mediana)", "Resolution time (median)", "Tempo de resolução (mediana)";
        DashTeam => "Equipo", "Team", "Equipe";
        DashAllTeams => "Todos los equipos", "All teams", "Todas as equipes";
        DashOpenPerAgent => "Abiertos por agente", "Open per agent", "Abertos por agente";
        DashBacklog => "Pendientes por antigüedad", "Backlog by age", "Pendentes por idade";
        DashChartDesc => "Gráfico de barras, escala de {min} a {max}: {values}.", "Bar chart, scale {min} to {max}: {values}.", "Gráfico de barras, escala de {min} a {max}: {values}.";
        DashShowTable => "Ver las cifras", "Show the figures", "Ver os números";
        DashDownloadCsv => "Descargar CSV", "Download CSV", "Baixar CSV";
        DashAssistant => "Asistente", "Assistant", "Assistente";
        DashAssistantRuns => "Conversaciones por flujo y cómo acabaron", "Conversations by flow and how they ended", "Conversas por fluxo e como terminaram";
        DashAssistantSteps => "Pasos de «{flow}»", "Steps of “{flow}”", "Passos de “{flow}”";
        DashAssistantSummary => "{flow} — empezadas: {started} · respondidas por el asistente: {answered} ({share}) · pasaron a una persona: {handed} · tickets evitados: {avoided}", "{flow} — started: {started} · answered by the assistant: {answered} ({share}) · handed off to a person: {handed} · tickets avoided: {avoided}", "{flow} — iniciadas: {started} · respondidas pelo assistente: {answered} ({share}) · passaram para uma pessoa: {handed} · tickets evitados: {avoided}";
        DashFlow => "Flujo", "Flow", "Fluxo";
        DashStep => "Paso", "Step", "Passo";
        DashStarted => "Empezadas", "Started", "Iniciadas";
        DashSolvedByAssistant => "Resuelto, según el visitante", "Solved, said the visitor", "Resolvido, segundo o visitante";
        DashLeftAfterAnswer => "Se fue tras una respuesta", "Left after an answer", "Saiu após uma resposta";
        DashTicketOpened => "Abrió un ticket", "Opened a ticket", "Abriu um ticket";
        DashHandedOffNoTicket => "Pasó a una persona, sin ticket", "Handed off, no ticket", "Passou para uma pessoa, sem ticket";
        DashAbandoned => "Se fue antes de una respuesta", "Left before an answer", "Saiu antes de uma resposta";
        DashReached => "Llegaron", "Reached", "Chegaram";
        DashHandedOff => "Pasaron a una persona", "Handed off", "Passaram para uma pessoa";
        DashLeftHere => "Se fueron aquí", "Left here", "Saíram aqui";
        DashAvoided => "Tickets evitados", "Tickets avoided", "Tickets evitados";
        DashDownloadFigures => "Descargar todos los indicadores (CSV)", "Download all figures (CSV)", "Baixar todos os indicadores (CSV)";
        // Knowledge base management
        KbAdminTitle => "Artículos de ayuda", "Help articles", "Artigos de ajuda";
        KbNewArticle => "Nuevo artículo", "New article", "Novo artigo";
        KbEditArticle => "Editar artículo", "Edit article", "Editar artigo";
        KbTitle => "Título", "Title", "Título";
        KbSlug => "Dirección (slug)", "Address (slug)", "Endereço (slug)";
        KbTags => "Etiquetas (separadas por comas)", "Tags (comma-separated)", "Etiquetas (separadas por vírgulas)";
        KbBody => "Texto del artículo", "Article text", "Texto do artigo";
        KbState => "Estado", "State", "Estado";
        KbPublished => "Publicado", "Published", "Publicado";
        KbDraft => "Borrador", "Draft", "Rascunho";
        KbViews => "Vistas desde el formulario", "Views from the form", "Visualizações pelo formulário";
        KbDeflected => "Tickets evitados", "Tickets avoided", "Tickets evitados";
        KbDeflectionHint => "Un artículo evita un ticket cuando un visitante lo abre desde las sugerencias del formulario y no envía el ticket.", "An article avoids a ticket when a visitor opens it from the form's suggestions and does not send the ticket.", "Um artigo evita um ticket quando um visitante o abre pelas sugestões do formulário e não envia o ticket.";
        KbSaveDraft => "Guardar borrador", "Save draft", "Salvar rascunho";
        KbPublish => "Publicar", "Publish", "Publicar";
        KbUnpublish => "Despublicar", "Unpublish", "Despublicar";
        KbSavePublished => "Guardar y mantener publicado", "Save and keep published", "Salvar e manter publicado";
        // Settings
        SetTitle => "Ajustes", "Settings", "Configurações";
        // First run
        WelcomeTitle => "Bienvenido a tu mesa de ayuda", "Welcome to your help desk", "Boas-vindas à sua central de ajuda";
        WelcomeText => "Pon el nombre de tu tienda, tu horario y tus agentes en Ajustes, o prueba todo con unos tickets de ejemplo.", "Put your shop's name, hours and agents in Settings, or try everything with a few sample tickets.", "Coloque o nome da sua loja, o horário e os agentes em Configurações, ou teste tudo com alguns tickets de exemplo.";
        WelcomeSetUp => "Configurar", "Set up", "Configurar";
        WelcomeSample => "Probar con tickets de ejemplo", "Try it with sample tickets", "Testar com tickets de exemplo";
        WelcomeDismiss => "Ahora no", "Not now", "Agora não";
        // Settings
        Settings => "Ajustes", "Settings", "Configurações";
        SettingsSections => "Secciones de ajustes", "Settings sections", "Seções de configurações";
        SaveSettings => "Guardar ajustes", "Save settings", "Salvar configurações";
        SavingSettings => "Guardando…", "Saving…", "Salvando…";
        SettingsSaved => "Ajustes guardados. Se aplican desde ahora; el historial no cambia.", "Settings saved. They apply from now on; history is not rewritten.", "Configurações salvas. Valem a partir de agora; o histórico não muda.";
        SettingsInvalid => "Corrige los errores marcados antes de guardar.", "Fix the errors marked below before saving.", "Corrija os erros marcados antes de salvar.";
        TabShop => "Tienda", "Shop", "Loja";
        TabSla => "Niveles de servicio", "Service levels", "Níveis de serviço";
        TabHours => "Horario de atención", "Business hours", "Horário de atendimento";
        TabAgents => "Agentes", "Agents", "Agentes";
        TabTeams => "Equipos y categorías", "Teams and categories", "Equipes e categorias";
        TabResponses => "Respuestas predefinidas", "Canned responses", "Respostas prontas";
        TabRules => "Reglas de tickets", "Ticket rules", "Regras de tickets";
        TabAssistant => "Asistente", "Assistant", "Assistente";
        AssistantSettingsIntro => "El asistente guía a los visitantes antes de abrir un ticket: preguntas con opciones, respuestas, artículos y, si hace falta, el paso a una persona con el ticket ya clasificado. Es lo primero que ven en el centro de ayuda cuando hay un flujo activo.", "The assistant guides visitors before they open a ticket: questions with options, answers, articles and, when needed, a hand-off to a person with the ticket already classified. It is the first thing they see in the help center while a flow is on.", "O assistente guia os visitantes antes de abrirem um ticket: perguntas com opções, respostas, artigos e, se preciso, a passagem para uma pessoa com o ticket já classificado. É a primeira coisa que veem na central de ajuda quando há um fluxo ativo.";
        AssistantOffer => "Ofrecerlo a los visitantes", "Offer it to visitors", "Oferecer aos visitantes";
        AssistantStepCount => "Pasos: {count}", "Steps: {count}", "Passos: {count}";
        AssistantAddSample => "Añadir el flujo de ejemplo", "Add the sample flow", "Adicionar o fluxo de exemplo";
        StepQuestion => "Pregunta con opciones", "Question with options", "Pergunta com opções";
        StepAnswer => "Respuesta", "Answer", "Resposta";
        StepArticle => "Artículo de ayuda", "Help article", "Artigo de ajuda";
        StepCheck => "¿Lo resolvió?", "Did it solve it?", "Resolveu?";
        StepForm => "Formulario", "Form", "Formulário";
        StepHandOff => "Paso a una persona", "Hand-off to a person", "Passagem para uma pessoa";
        BotFlowName => "Nombre del flujo", "Flow name", "Nome do fluxo";
        BotStart => "Empieza en", "Starts at", "Começa em";
        BotSteps => "Pasos ({count})", "Steps ({count})", "Passos ({count})";
        BotStepLegend => "Paso {number}: {id}", "Step {number}: {id}", "Passo {number}: {id}";
        BotStepId => "Identificador del paso", "Step identifier", "Identificador do passo";
        BotStepKind => "Tipo de paso", "Kind of step", "Tipo de passo";
        BotText => "Texto", "Text", "Texto";
        BotOption => "Opción {number}", "Option {number}", "Opção {number}";
        BotOptionLabel => "Texto de la opción", "Option text", "Texto da opção";
        BotGoesTo => "Lleva a", "Leads to", "Leva a";
        BotThenTo => "Después", "Then", "Depois";
        BotEndsHere => "(termina aquí)", "(ends here)", "(termina aqui)";
        BotChooseStep => "(elige un paso)", "(choose a step)", "(escolha um passo)";
        BotIfNotSolved => "Si no lo resolvió, ir a", "If it did not, go to", "Se não resolveu, ir para";
        BotArticle => "Artículo", "Article", "Artigo";
        BotChooseArticle => "(elige un artículo)", "(choose an article)", "(escolha um artigo)";
        BotArticleTranslations => "Para quien lee en otro idioma", "For visitors reading another language", "Para quem lê em outro idioma";
        BotSameArticle => "(el artículo de arriba)", "(the article above)", "(o artigo acima)";
        BotAddOption => "Añadir opción", "Add option", "Adicionar opção";
        BotAddStep => "Añadir paso", "Add step", "Adicionar passo";
        BotAddFlow => "Añadir un flujo", "Add a flow", "Adicionar um fluxo";
        BotNewFlow => "Nuevo flujo", "New flow", "Novo fluxo";
        BotField => "Campo {number}", "Field {number}", "Campo {number}";
        BotFieldKey => "Clave", "Key", "Chave";
        BotFieldLabel => "Etiqueta", "Label", "Rótulo";
        BotFieldKind => "Tipo de campo", "Kind of field", "Tipo de campo";
        BotFieldText => "Texto corto", "Short text", "Texto curto";
        BotFieldLongText => "Texto largo", "Long text", "Texto longo";
        BotFieldEmail => "Correo", "Email", "E-mail";
        BotFieldRequired => "Obligatorio", "Required", "Obrigatório";
        BotAddField => "Añadir campo", "Add field", "Adicionar campo";
        BotHandOffTags => "Etiquetas del ticket (separadas por comas)", "Ticket tags (comma-separated)", "Etiquetas do ticket (separadas por vírgulas)";
        BotPreview => "Vista previa", "Preview", "Prévia";
        BotRestartPreview => "Probar de nuevo", "Preview again", "Testar de novo";
        BotClosePreview => "Cerrar la vista previa", "Close the preview", "Fechar a prévia";
        BotProblemsOf => "Problemas de este paso", "Problems of this step", "Problemas deste passo";
        BotFlowHasProblems => "Este flujo tiene problemas: están junto a sus pasos.", "This flow has problems: they are shown beside its steps.", "Este fluxo tem problemas: estão junto aos passos.";
        BotTooManyFlows => "Como mucho 20 flujos.", "At most 20 flows.", "No máximo 20 fluxos.";
        BotDuplicateFlow => "Otro flujo tiene el mismo identificador.", "Another flow has the same identifier.", "Outro fluxo tem o mesmo identificador.";
        BotBadId => "Los identificadores llevan de 1 a 64 letras, cifras, «-» o «_».", "Identifiers are 1 to 64 letters, digits, “-” or “_”.", "Os identificadores têm de 1 a 64 letras, dígitos, “-” ou “_”.";
        BotNoName => "El flujo necesita un nombre.", "The flow needs a name.", "O fluxo precisa de um nome.";
        BotNoSteps => "El flujo no tiene pasos.", "The flow has no steps.", "O fluxo não tem passos.";
        BotTooManySteps => "Como mucho 100 pasos.", "At most 100 steps.", "No máximo 100 passos.";
        BotUnknownStart => "El flujo empieza en un paso que no existe.", "The flow starts at a step it does not have.", "O fluxo começa num passo que não existe.";
        BotDuplicateStep => "Otro paso tiene el mismo identificador.", "Another step has the same identifier.", "Outro passo tem o mesmo identificador.";
        BotNoText => "El paso no tiene texto.", "The step has no text.", "O passo não tem texto.";
        BotTextTooLong => "Un texto pasa de 2000 caracteres.", "A text is longer than 2,000 characters.", "Um texto passa de 2.000 caracteres.";
        BotNoOptions => "La pregunta no ofrece opciones.", "The question offers no options.", "A pergunta não oferece opções.";
        BotTooManyOptions => "Como mucho 8 opciones.", "At most 8 options.", "No máximo 8 opções.";
        BotBlankOption => "Una opción no tiene texto.", "An option has no text.", "Uma opção não tem texto.";
        BotNoTarget => "Falta elegir a qué paso lleva.", "Choose the step it leads to.", "Falta escolher a que passo leva.";
        BotUnknownTarget => "Lleva al paso «{step}», que no existe.", "It leads to step “{step}”, which does not exist.", "Leva ao passo “{step}”, que não existe.";
        BotUnreachable => "Ningún camino desde el inicio llega aquí.", "No path from the start reaches it.", "Nenhum caminho desde o início chega aqui.";
        BotLoop => "Vuelve a un paso anterior: una conversación podría no acabar nunca.", "It leads back to an earlier step: a conversation could go round forever.", "Volta a um passo anterior: uma conversa poderia nunca acabar.";
        BotCheckWithoutAnswer => "«¿Lo resolvió?» debe ir justo después de una respuesta o un artículo.", "“Did it solve it?” must come right after an answer or an article.", "“Resolveu?” deve vir logo depois de uma resposta ou um artigo.";
        BotNoArticle => "Elige un artículo.", "Choose an article.", "Escolha um artigo.";
        BotBlankTranslation => "Un artículo para otro idioma no dice cuál es: elígelo o deja el de arriba.", "An article for another language names none: choose one or keep the article above.", "Um artigo para outro idioma não diz qual é: escolha um ou mantenha o de cima.";
        BotNoFields => "El formulario no pregunta nada.", "The form asks nothing.", "O formulário não pergunta nada.";
        BotTooManyFields => "Como mucho 6 campos.", "At most 6 fields.", "No máximo 6 campos.";
        BotBadFieldKey => "La clave «{key}» debe llevar minúsculas, cifras y _, y empezar por una letra.", "Key “{key}” must be lowercase letters, digits and _, starting with a letter.", "A chave “{key}” deve ter minúsculas, dígitos e _, começando por uma letra.";
        BotDuplicateField => "El campo «{key}» se pregunta dos veces.", "Field “{key}” is asked twice.", "O campo “{key}” é perguntado duas vezes.";
        BotBlankLabel => "Un campo no tiene etiqueta.", "A field has no label.", "Um campo não tem rótulo.";
        BotBadTag => "«{tag}» no es una etiqueta válida (minúsculas, sin espacios).", "“{tag}” is not a valid tag (lower case, no spaces).", "“{tag}” não é uma etiqueta válida (minúsculas, sem espaços).";
        BotUnknownCategory => "«{category}» no es una de las categorías.", "“{category}” is not one of the categories.", "“{category}” não é uma das categorias.";
        AssistantNoFlows => "No hay flujos.", "There are no flows.", "Não há fluxos.";
        ShopName => "Nombre de la tienda", "Shop name", "Nome da loja";
        Languages => "Idiomas", "Languages", "Idiomas";
        Remove => "Quitar", "Remove", "Remover";
        PolicyName => "Nombre de la política", "Policy name", "Nome da política";
        FirstResponseMinutes => "Primera respuesta (minutos)", "First response (minutes)", "Primeira resposta (minutos)";
        NextResponseMinutes => "Siguiente respuesta (minutos)", "Next response (minutes)", "Próxima resposta (minutos)";
        ResolutionMinutes => "Resolución (minutos)", "Resolution (minutes)", "Resolução (minutos)";
        TargetHint => "Deja un objetivo vacío si no aplica. Las políticas se prueban en orden; la primera que coincide se aplica.", "Leave a target empty for none. Policies are tried in order; the first that matches applies.", "Deixe uma meta vazia se não se aplica. As políticas são testadas em ordem; a primeira que combina vale.";
        PolicyPriorities => "Prioridades (ninguna marcada = todas)", "Priorities (none checked = all)", "Prioridades (nenhuma marcada = todas)";
        CalendarLabel => "Calendario", "Calendar", "Calendário";
        AddPolicy => "Añadir política", "Add policy", "Adicionar política";
        CalendarName => "Nombre del calendario", "Calendar name", "Nome do calendário";
        TimeZone => "Zona horaria", "Time zone", "Fuso horário";
        DayClosed => "Cerrado", "Closed", "Fechado";
        HoursHint => "Rangos como 09:00-13:00, 14:00-18:00; vacío = cerrado.", "Ranges such as 09:00-13:00, 14:00-18:00; empty = closed.", "Intervalos como 09:00-13:00, 14:00-18:00; vazio = fechado.";
        Monday => "Lunes", "Monday", "Segunda-feira";
        Tuesday => "Martes", "Tuesday", "Terça-feira";
        Wednesday => "Miércoles", "Wednesday", "Quarta-feira";
        Thursday => "Jueves", "Thursday", "Quinta-feira";
        Friday => "Viernes", "Friday", "Sexta-feira";
        Saturday => "Sábado", "Saturday", "Sábado";
        Sunday => "Domingo", "Sunday", "Domingo";
        Holidays => "Festivos", "Holidays", "Feriados";
        HolidayDate => "Fecha del festivo", "Holiday date", "Data do feriado";
        HolidayName => "Nombre del festivo", "Holiday name", "Nome do feriado";
        Yearly => "Cada año", "Every year", "Todo ano";
        AddHoliday => "Añadir festivo", "Add holiday", "Adicionar feriado";
        AddCalendar => "Añadir calendario", "Add calendar", "Adicionar calendário";
        Skills => "Habilidades (separadas por comas)", "Skills (comma-separated)", "Habilidades (separadas por vírgulas)";
        AgentLanguages => "Idiomas (separados por comas)", "Languages (comma-separated)", "Idiomas (separados por vírgulas)";
        Levels => "Niveles", "Levels", "Níveis";
        Capacity => "Capacidad (tickets abiertos, 0 = solo a mano)", "Capacity (open tickets, 0 = by hand only)", "Capacidade (tickets abertos, 0 = só manual)";
        Availability => "Disponibilidad", "Availability", "Disponibilidade";
        AvailAvailable => "Disponible", "Available", "Disponível";
        AvailAway => "Ausente", "Away", "Ausente";
        AvailOffline => "Desconectado", "Offline", "Desconectado";
        Teams => "Equipos", "Teams", "Equipes";
        AddAgent => "Añadir agente", "Add agent", "Adicionar agente";
        NewAgentName => "Agente nuevo", "New agent", "Novo agente";
        TeamName => "Nombre del equipo", "Team name", "Nome da equipe";
        AddTeam => "Añadir equipo", "Add team", "Adicionar equipe";
        Categories => "Categorías", "Categories", "Categorias";
        CategoryName => "Nombre de la categoría", "Category name", "Nome da categoria";
        AddCategory => "Añadir categoría", "Add category", "Adicionar categoria";
        Strategy => "Estrategia de asignación", "Assignment strategy", "Estratégia de atribuição";
        StratRoundRobin => "Por turnos", "Round robin", "Rodízio";
        StratFewestOpen => "Menos tickets abiertos", "Fewest open tickets", "Menos tickets abertos";
        StratSkill => "Por habilidades", "By skills", "Por habilidades";
        StratLanguage => "Por idioma", "By language", "Por idioma";
        StratLevel => "Por nivel", "By level", "Por nível";
        ResponseTitle => "Título", "Title", "Título";
        ResponseBody => "Texto", "Text", "Texto";
        AddResponse => "Añadir respuesta", "Add response", "Adicionar resposta";
        PlaceholdersHint => "Marcadores disponibles: {list}", "Placeholders you can use: {list}", "Marcadores disponíveis: {list}";
        ReopenWindowDays => "Plazo para reabrir tras resolver (días)", "Reopen window after resolution (days)", "Prazo para reabrir após resolver (dias)";
        CloseAfterDays => "Cerrar resueltos sin actividad tras (días)", "Close resolved tickets after (days quiet)", "Fechar resolvidos sem atividade após (dias)";
        PriorityMatrix => "Matriz de prioridad (impacto × urgencia)", "Priority matrix (impact × urgency)", "Matriz de prioridade (impacto × urgência)";
        MatrixCell => "Impacto {impact}, urgencia {urgency}", "Impact {impact}, urgency {urgency}", "Impacto {impact}, urgência {urgency}";
        ErrWholeNumber => "Escribe un número entero de 0 o más.", "Write a whole number, 0 or more.", "Escreva um número inteiro, 0 ou mais.";
        ErrTargetZero => "El objetivo debe ser de al menos 1 minuto (vacío = sin objetivo).", "A target must be at least 1 minute (empty = no target).", "A meta deve ser de pelo menos 1 minuto (vazio = sem meta).";
        ErrRanges => "Escribe rangos como 09:00-18:00 que terminen después de empezar, sin solaparse.", "Write ranges such as 09:00-18:00 that end after they start and do not overlap.", "Escreva intervalos como 09:00-18:00 que terminem depois de começar, sem sobreposição.";
        ErrTimeZone => "Zona horaria desconocida: usa un nombre IANA como Europe/Madrid.", "Unknown time zone: use an IANA name such as Europe/Madrid.", "Fuso horário desconhecido: use um nome IANA como America/Sao_Paulo.";
        ErrNoOpenHours => "El calendario no abre ningún día: los plazos nunca correrían.", "The calendar is never open: SLA clocks could never run.", "O calendário nunca abre: os prazos nunca correriam.";
        ErrDuplicateName => "Ya hay otro con este nombre.", "Another entry already has this name.", "Já existe outro com este nome.";
        ErrNoLanguage => "Elige al menos un idioma.", "Choose at least one language.", "Escolha pelo menos um idioma.";
        ErrUnreachablePolicy => "Esta política nunca se aplicará: una anterior cubre todos los tickets.", "This policy can never apply: an earlier one covers every ticket.", "Esta política nunca se aplicará: uma anterior cobre todos os tickets.";
        CustomFields => "Campos personalizados", "Custom fields", "Campos personalizados";
        FieldKey => "Clave (p. ej. numero_pedido)", "Key (e.g. order_number)", "Chave (ex.: numero_pedido)";
        FieldKindLabel => "Tipo de dato", "Data type", "Tipo de dado";
        KindText => "Texto", "Text", "Texto";
        KindNumber => "Número", "Number", "Número";
        KindBool => "Sí / no", "Yes / no", "Sim / não";
        KindDate => "Fecha", "Date", "Data";
        KindChoice => "Lista de opciones", "List of choices", "Lista de opções";
        FieldChoices => "Opciones (separadas por comas)", "Choices (comma-separated)", "Opções (separadas por vírgulas)";
        FieldRequired => "Obligatorio para el cliente", "Required from customers", "Obrigatório para o cliente";
        FieldStaffOnly => "Solo lo ven los agentes", "Only agents see it", "Só os agentes veem";
        AddField => "Añadir campo", "Add field", "Adicionar campo";
        ErrFieldKey => "Usa minúsculas, cifras y _, empezando por una letra; sin repetir.", "Use lowercase letters, digits and _, starting with a letter; no repeats.", "Use minúsculas, dígitos e _, começando por uma letra; sem repetir.";
        ErrNoChoices => "Escribe al menos una opción.", "Write at least one choice.", "Escreva pelo menos uma opção.";
        ErrSetting => "Revisa este ajuste: {detail}", "Check this setting: {detail}", "Revise esta configuração: {detail}";
        ErrSetDuplicateId => "Dos elementos comparten el id «{id}»; los ids deben ser únicos.", "Two entries share the id “{id}”; ids must be unique.", "Dois itens compartilham o id “{id}”; os ids devem ser únicos.";
        ErrSetEmptyId => "Cada elemento necesita un id.", "Every entry needs an id.", "Cada item precisa de um id.";
        ErrSetThreshold => "El umbral de riesgo debe ser mayor que 0 y como mucho 1 (0,8 = en riesgo tras el 80 % del objetivo).", "The at-risk threshold must be above 0 and at most 1 (0.8 = at risk after 80% of the target).", "O limite de risco deve ser maior que 0 e no máximo 1 (0,8 = em risco após 80% da meta).";
        ErrSetEscalation => "Una regla de escalado necesita acciones y un plazo con objetivo.", "An escalation rule needs actions and a deadline that has a target.", "Uma regra de escalonamento precisa de ações e de um prazo com meta.";
        ErrSetAlwaysHoliday => "Los festivos cierran todos los días abiertos del año.", "Holidays close every open day of the year.", "Os feriados fecham todos os dias abertos do ano.";
        ErrSetMembership => "El equipo «{team}» y el agente «{agent}» no coinciden: añade el agente al equipo y el equipo al agente, o quítalos de ambos.", "Team “{team}” and agent “{agent}” disagree: add the agent to the team and the team to the agent, or remove both.", "A equipe “{team}” e o agente “{agent}” não coincidem: adicione o agente à equipe e a equipe ao agente, ou remova ambos.";
        // Data
        CustomerData => "Datos de un cliente", "A customer's data", "Dados de um cliente";
        CustomerDataHint => "Cuando un cliente pide una copia de sus datos o que se borren. Queda registrado en el historial de cada ticket.", "When a customer asks for a copy of their data or for it to be erased. Recorded in each ticket's history.", "Quando um cliente pede uma cópia dos seus dados ou que sejam apagados. Fica registrado no histórico de cada ticket.";
        CustomerLookup => "Correo o id del cliente", "Customer email or id", "E-mail ou id do cliente";
        Find => "Buscar", "Find", "Buscar";
        ExportCustomer => "Exportar sus datos", "Export their data", "Exportar os dados";
        EraseCustomer => "Borrar sus datos", "Erase their data", "Apagar os dados";
        ConfirmErase => "El cliente pidió borrar sus datos; entiendo que no se puede deshacer.", "The customer asked for erasure; I understand this cannot be undone.", "O cliente pediu para apagar os dados; entendo que não pode ser desfeito.";
        ErrConfirmErase => "Marca la confirmación para borrar.", "Check the confirmation to erase.", "Marque a confirmação para apagar.";
        AuditAccess => "entregó al cliente una copia de sus datos", "gave the customer a copy of their data", "entregou ao cliente uma cópia dos seus dados";
        AuditErasure => "borró los datos personales del cliente", "erased the customer's personal data", "apagou os dados pessoais do cliente";
        ErasedNotice => "Los datos personales de este ticket se borraron a petición del cliente.", "This ticket's personal data was erased at the customer's request.", "Os dados pessoais deste ticket foram apagados a pedido do cliente.";
        Working => "Trabajando…", "Working…", "Trabalhando…";
        // Setup
        SetupTitle => "Primeros pasos", "First steps", "Primeiros passos";
        SetupIntro => "Todo se puede cambiar luego en Ajustes.", "Everything can be changed later in Settings.", "Tudo pode ser alterado depois em Configurações.";
        OpeningTime => "Abre a las (lunes a viernes)", "Opens at (Monday to Friday)", "Abre às (segunda a sexta)";
        ClosingTime => "Cierra a las", "Closes at", "Fecha às";
        OpenSaturday => "También abre los sábados", "Also open on Saturdays", "Também abre aos sábados";
        FirstAgent => "Tu ficha de agente", "Your agent profile", "Seu perfil de agente";
        SampleData => "Añadir tickets de ejemplo para probarlo todo", "Add sample tickets to try everything", "Adicionar tickets de exemplo para testar tudo";
        ErrClosesBeforeOpens => "La hora de cierre debe ser posterior a la de apertura.", "Closing time must be after opening time.", "O horário de fechamento deve ser depois do de abertura.";
        FinishSetup => "Terminar", "Finish setup", "Concluir";
        // Settings: assignment rules and macros
        AssignmentRules => "Reglas de asignación", "Assignment rules", "Regras de atribuição";
        RulesHint => "Se prueban en orden; la primera regla activa que coincide elige el equipo y la estrategia. Una lista vacía acepta cualquier valor.", "Tried in order; the first enabled rule that matches picks the team and the strategy. An empty list matches anything.", "Testadas em ordem; a primeira regra ativa que combina escolhe a equipe e a estratégia. Uma lista vazia aceita qualquer valor.";
        RuleName => "Nombre de la regla", "Rule name", "Nome da regra";
        RuleEnabled => "Activa", "Enabled", "Ativa";
        RuleCategories => "Categorías (separadas por comas)", "Categories (comma-separated)", "Categorias (separadas por vírgulas)";
        RuleLanguages => "Idiomas del ticket (separados por comas)", "Ticket languages (comma-separated)", "Idiomas do ticket (separados por vírgulas)";
        RuleTags => "Etiquetas (separadas por comas)", "Tags (comma-separated)", "Etiquetas (separadas por vírgulas)";
        RulePlans => "Planes del cliente, firmados por el sitio (separados por comas)", "Customer plans, as the site signed them (comma-separated)", "Planos do cliente, assinados pelo site (separados por vírgulas)";
        RulePriorities => "Prioridades", "Priorities", "Prioridades";
        RuleChannels => "Canales", "Channels", "Canais";
        RuleTeam => "Enviar al equipo", "Send to team", "Enviar à equipe";
        AnyAgent => "Cualquier agente", "Any agent", "Qualquer agente";
        RequiredSkill => "Habilidad obligatoria (opcional)", "Required skill (optional)", "Habilidade obrigatória (opcional)";
        AddRule => "Añadir regla", "Add rule", "Adicionar regra";
        FallbackTeam => "Equipo para lo que ninguna regla recoge", "Team for tickets no rule matches", "Equipe para o que nenhuma regra pega";
        ErrUnknownTeam => "Ese equipo ya no existe; elige otro.", "That team no longer exists; choose another.", "Essa equipe não existe mais; escolha outra.";
        Macros => "Macros", "Macros", "Macros";
        MacrosHint => "Un clic en el ticket: responde o anota, cambia la prioridad y las etiquetas, lo asigna y cambia el estado.", "One click on a ticket: reply or note, change priority and tags, take it and move its status.", "Um clique no ticket: responde ou anota, muda prioridade e etiquetas, atribui e muda o status.";
        MacroTitle => "Nombre de la macro", "Macro name", "Nome da macro";
        MacroMessageKind => "Mensaje", "Message", "Mensagem";
        NoMessage => "Sin mensaje", "No message", "Sem mensagem";
        MacroText => "Texto del mensaje", "Message text", "Texto da mensagem";
        MacroPriority => "Prioridad", "Priority", "Prioridade";
        MacroStatusLabel => "Estado después", "Status afterwards", "Status depois";
        Unchanged => "Sin cambios", "Unchanged", "Sem mudança";
        MacroAddTags => "Añadir etiquetas", "Add tags", "Adicionar etiquetas";
        MacroRemoveTags => "Quitar etiquetas", "Remove tags", "Remover etiquetas";
        AddMacro => "Añadir macro", "Add macro", "Adicionar macro";
        ApplyMacro => "Aplicar macro", "Apply macro", "Aplicar macro";
        MacroApplied => "Macro «{title}» aplicada.", "Macro “{title}” applied.", "Macro “{title}” aplicada.";
        // Dashboard (more)
        DashResolutionP90 => "Tiempo de resolución (p90)", "Resolution time (p90)", "Tempo de resolução (p90)";
        DashSlaResponseTrend => "SLA de primera respuesta cumplido (%)", "First-response SLA met (%)", "SLA de primeira resposta cumprido (%)";
        DashSlaResolutionTrend => "SLA de resolución cumplido (%)", "Resolution SLA met (%)", "SLA de resolução cumprido (%)";
        DashReopenTrend => "Reabiertos (%)", "Reopened (%)", "Reabertos (%)";
        DashFcrTrend => "Resueltos al primer contacto (%)", "First-contact resolution (%)", "Resolvidos no primeiro contato (%)";
        DashSatisfactionTrend => "Satisfacción (media de 1 a 5)", "Satisfaction (average, 1 to 5)", "Satisfação (média de 1 a 5)";
        DashLegend => "Leyenda", "Legend", "Legenda";
        DashNoData => "Sin datos en este período", "No data in this period", "Sem dados neste período";
        DashNoSamples => "{count} sin datos", "{count} without data", "{count} sem dados";
        DashUnitPercent => "{value} %", "{value} %", "{value} %";
        DashUnitSeconds => "{value} s", "{value} s", "{value} s";
        DashUnitMinutes => "{value} min", "{value} min", "{value} min";
        DashUnitHours => "{value} h", "{value} h", "{value} h";
        DashUnitDays => "{value} d", "{value} d", "{value} d";
        DashUnitTickets => "tickets", "tickets", "tickets";
        DashAgeBetween => "{from}–{to} días", "{from}–{to} days", "{from}–{to} dias";
    }

    // Messages with a count: `[one, other]` per language, chosen by `plural_form` (see `mod.rs`);
    // `{count}` is the number, written the language's way.
    plurals {
        ArticlesFound => ["{count} artículo", "{count} artículos"], ["{count} article", "{count} articles"], ["{count} artigo", "{count} artigos"];
        SyncRejected => ["({count} cambio rechazado por el servidor)", "({count} cambios rechazados por el servidor)"], ["({count} change refused by the server)", "({count} changes refused by the server)"], ["({count} alteração recusada pelo servidor)", "({count} alterações recusadas pelo servidor)"];
        ErrTooLong => ["Es demasiado largo: como mucho {count} carácter.", "Es demasiado largo: como mucho {count} caracteres."], ["This is too long: at most {count} character.", "This is too long: at most {count} characters."], ["É longo demais: no máximo {count} caractere.", "É longo demais: no máximo {count} caracteres."];
        ErrSubjectTooLong => ["El asunto supera {count} carácter.", "El asunto supera los {count} caracteres."], ["The subject is longer than {count} character.", "The subject is longer than {count} characters."], ["O assunto passa de {count} caractere.", "O assunto passa de {count} caracteres."];
        ErrBodyTooLong => ["El texto supera {count} carácter.", "El texto supera los {count} caracteres."], ["The text is longer than {count} character.", "The text is longer than {count} characters."], ["O texto passa de {count} caractere.", "O texto passa de {count} caracteres."];
    }

    console_plurals {
        AlertMore => ["Y {count} aviso más", "Y {count} avisos más"], ["And {count} more update", "And {count} more updates"], ["E mais {count} aviso", "E mais {count} avisos"];
        NSelected => ["{count} seleccionado", "{count} seleccionados"], ["{count} selected", "{count} selected"], ["{count} selecionado", "{count} selecionados"];
        BulkDone => ["{count} ticket actualizado.", "{count} tickets actualizados."], ["{count} ticket updated.", "{count} tickets updated."], ["{count} ticket atualizado.", "{count} tickets atualizados."];
        ExportDone => ["Exportado {count} evento.", "Exportados {count} eventos."], ["Exported {count} event.", "Exported {count} events."], ["Exportado {count} evento.", "Exportados {count} eventos."];
        CsvDone => ["Exportado {count} ticket a CSV.", "Exportados {count} tickets a CSV."], ["Exported {count} ticket as CSV.", "Exported {count} tickets as CSV."], ["Exportado {count} ticket em CSV.", "Exportados {count} tickets em CSV."];
        ImportEvents => ["{count} evento", "{count} eventos"], ["{count} event", "{count} events"], ["{count} evento", "{count} eventos"];
        ImportNewTickets => ["{count} ticket nuevo", "{count} tickets nuevos"], ["{count} new ticket", "{count} new tickets"], ["{count} ticket novo", "{count} tickets novos"];
        ImportAlready => ["{count} ya estaba aquí", "{count} ya estaban aquí"], ["{count} was already here", "{count} were already here"], ["{count} já estava aqui", "{count} já estavam aqui"];
        ImportSettingsAdded => ["Se agregó {count} ajuste del archivo que faltaba aquí (agentes, equipos, respuestas…); los tuyos no cambiaron.", "Se agregaron {count} ajustes del archivo que faltaban aquí (agentes, equipos, respuestas…); los tuyos no cambiaron."], ["Added {count} setting from the file that was missing here (agents, teams, responses…); yours did not change.", "Added {count} settings from the file that were missing here (agents, teams, responses…); yours did not change."], ["Foi adicionada {count} configuração do arquivo que faltava aqui (agentes, equipes, respostas…); as suas não mudaram.", "Foram adicionadas {count} configurações do arquivo que faltavam aqui (agentes, equipes, respostas…); as suas não mudaram."];
        CustomerFound => ["{count} ticket de este cliente.", "{count} tickets de este cliente."], ["{count} ticket of this customer.", "{count} tickets of this customer."], ["{count} ticket deste cliente.", "{count} tickets deste cliente."];
        CustomerExported => ["Datos exportados; registrado en el historial de {count} ticket.", "Datos exportados; registrado en el historial de {count} tickets."], ["Data exported; recorded in the history of {count} ticket.", "Data exported; recorded in the history of {count} tickets."], ["Dados exportados; registrado no histórico de {count} ticket.", "Dados exportados; registrado no histórico de {count} tickets."];
        CustomerErased => ["Datos personales borrados de {count} ticket; registrado en su historial.", "Datos personales borrados de {count} tickets; registrado en su historial."], ["Personal data erased from {count} ticket; recorded in its history.", "Personal data erased from {count} tickets; recorded in their history."], ["Dados pessoais apagados de {count} ticket; registrado no histórico.", "Dados pessoais apagados de {count} tickets; registrado no histórico."];
        DashLastDays => ["Último {count} día", "Últimos {count} días"], ["Last {count} day", "Last {count} days"], ["Último {count} dia", "Últimos {count} dias"];
        DashAgeUnder => ["< {count} día", "< {count} días"], ["< {count} day", "< {count} days"], ["< {count} dia", "< {count} dias"];
        DashAgeOver => ["> {count} día", "> {count} días"], ["> {count} day", "> {count} days"], ["> {count} dia", "> {count} dias"];
    }
}
