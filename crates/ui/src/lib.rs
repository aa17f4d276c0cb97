//! The Leptos client-side app: customer portal and agent console.
