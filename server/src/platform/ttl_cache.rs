//! A small map whose entries are forgotten after a fixed time, with a bound on its size: for
//! answers that may be a little stale (search token counts, a moment's worth of signed-in
//! callers) and are cheap to ask for again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    entries: Mutex<HashMap<K, (V, Instant)>>,
    ttl: Duration,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            capacity,
        }
    }

    /// The value stored under `key` less than the TTL ago.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(_, stored)| stored.elapsed() < self.ttl)
            .map(|(value, _)| value.clone())
    }

    pub fn put(&self, key: K, value: V) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, (_, stored)| now.duration_since(*stored) < self.ttl);
            if entries.len() >= self.capacity {
                // Every entry is recent: start over rather than grow without bound.
                entries.clear();
            }
        }
        entries.insert(key, (value, now));
    }

    /// Forgets every entry whose value matches.
    pub fn forget_where(&self, matches: impl Fn(&V) -> bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, (value, _)| !matches(value));
    }

    pub fn forget(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_age_out() {
        let cache = TtlCache::new(Duration::from_millis(100), 10);
        cache.put("a", 1);
        assert_eq!(cache.get(&"a"), Some(1));
        assert_eq!(cache.get(&"b"), None);
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(cache.get(&"a"), None);
    }

    #[test]
    fn the_size_stays_within_the_capacity_and_the_newest_entry_is_kept() {
        let cache = TtlCache::new(Duration::from_secs(60), 3);
        for n in 0..10 {
            cache.put(n, n);
        }
        let kept = (0..10).filter(|n| cache.get(n).is_some()).count();
        assert!(kept <= 3, "{kept} entries");
        assert_eq!(cache.get(&9), Some(9));
    }

    #[test]
    fn entries_can_be_forgotten_by_key_or_by_value() {
        let cache = TtlCache::new(Duration::from_secs(60), 10);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.put("c", 2);
        cache.forget(&"a");
        cache.forget_where(|v| *v == 2);
        assert_eq!(
            (cache.get(&"a"), cache.get(&"b"), cache.get(&"c")),
            (None, None, None)
        );
    }
}
