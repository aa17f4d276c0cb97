//! Browser driver for the core's SyncEngine: fetch and EventSource.
