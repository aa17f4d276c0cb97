//! The app's stylesheet. The widget injects it into its Shadow DOM; the standalone page links it.
//! Every class starts with `mo-`, and every colour is a CSS custom property the host may override.

/// CSS for the whole app.
pub const CSS: &str = include_str!("style.css");
