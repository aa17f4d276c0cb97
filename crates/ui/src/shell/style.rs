//! The app's stylesheet, assembled from the CSS files beside the components. The widget injects
//! it into its Shadow DOM. Every class starts with `mo-`, and every colour is a CSS custom
//! property the host may override.

/// CSS for the whole app.
#[cfg(feature = "console")]
pub const CSS: &str = concat!(
    include_str!("app.css"),
    include_str!("header.css"),
    include_str!("../components/form.css"),
    include_str!("../portal/portal.css"),
    include_str!("../components/thread.css"),
    include_str!("../console/console.css"),
    include_str!("../console/ticket/ticket.css"),
);

/// CSS for the customer portal build.
#[cfg(not(feature = "console"))]
pub const CSS: &str = concat!(
    include_str!("app.css"),
    include_str!("header.css"),
    include_str!("../components/form.css"),
    include_str!("../portal/portal.css"),
    include_str!("../components/thread.css"),
);
