//! The console's administration screens: settings, knowledge-base articles, export and import,
//! and a customer's data (access and erasure).

pub mod customer_data;
pub mod kb_admin;
pub mod portability;
pub mod settings;
