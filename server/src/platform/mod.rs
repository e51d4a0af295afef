//! Process-level pieces that know nothing of the domain.

pub mod allocator;
pub mod ttl_cache;
