//! The console's administration screens: settings, knowledge-base articles, export and import,
//! a customer's data (access and erasure), and integrations (API keys and webhooks on the sync
//! server).

pub mod customer_data;
pub mod integrations;
pub mod kb_admin;
pub mod portability;
pub mod settings;
