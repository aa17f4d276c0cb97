//! IndexedDB implementation of the core's Store trait.
