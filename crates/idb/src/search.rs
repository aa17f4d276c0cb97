//! The full-text index across page loads (feature `search-snapshot`, which the console's build
//! turns on; the customer widget's build keeps building the index from the tickets).
//!
//! Built from 100,000 tickets the index takes seconds (every ticket read, decoded, folded and
//! tokenized); read back from a snapshot it takes a fraction of a second. So:
//!
//! - `search` (schema v7) keeps `SearchIndex::snapshot`'s bytes and a *generation* number;
//!   `search_dirty` keeps the ids of the tickets changed since the snapshot. Every append writes
//!   its touched ticket ids there, in its own transaction (in every build: that part is in
//!   `store`), so the snapshot plus the dirty tickets always describe the disk.
//! - [`load`] (the first text query of a handle, or the first after another tab changed tickets)
//!   reads the snapshot and the dirty tickets in one read-write transaction over the snapshot, the
//!   dirty list and the tickets, and applies those tickets to the decoded index. Without a usable
//!   snapshot it builds from every ticket, as before. After a build, or after applying many dirty
//!   tickets, it writes the new snapshot, clears the list and increments the generation in that
//!   same transaction: no append can interleave, and no ticket is applied twice.
//! - [`save`] (for whoever wants the snapshot current without waiting for a reload: tests,
//!   benchmarks) does the same from this handle's index in memory: one read-write transaction that
//!   applies the dirty tickets, writes the bytes, clears the list. A tab saves only over the
//!   generation it loaded (or last saved): if another tab saved in between, its index may lack
//!   changes that tab cleared from the list, so it does not save.

use js_sys::{Array, Uint8Array};
use mostrador_core::search::{DocRef, SearchIndex};
use mostrador_core::store::index_ticket;
use mostrador_core::ticket::Ticket;
use wasm_bindgen::JsValue;

use crate::IdbStore;
use crate::js::Tx;
use crate::migrations::{GENERATION_KEY, SEARCH, SEARCH_DIRTY, SNAPSHOT_KEY, TICKETS};
use crate::store::wait_all;
use crate::{IdbError, codec};

/// A load that applied at least this many changed tickets saves a fresh snapshot.
const RESAVE_FROM: usize = 1_000;

/// The index as the disk describes it: the snapshot with the changed tickets applied, or built
/// from every ticket. When it had to build, or to apply [`RESAVE_FROM`] tickets or more, it saves
/// the result as the new snapshot in the same transaction (so the tickets it applied are not
/// applied a second time by a later save, and no append slips in between).
pub(crate) async fn load(store: &IdbStore) -> Result<SearchIndex, IdbError> {
    let tx = Tx::new(&store.db().await?, &[SEARCH, SEARCH_DIRTY, TICKETS], true)?;
    let search = tx.store(SEARCH)?;
    let snapshot = search.get(&JsValue::from_str(SNAPSHOT_KEY))?;
    let generation = search.get(&JsValue::from_str(GENERATION_KEY))?;
    let dirty = tx.wait(tx.store(SEARCH_DIRTY)?.get_all_keys()?).await?;
    let generation = generation.result()?.as_f64().unwrap_or(0.0);
    let bytes = snapshot.result()?;
    let decoded = if bytes.is_undefined() {
        None
    } else {
        SearchIndex::from_snapshot(&Uint8Array::new(&bytes).to_vec())
    };
    drop(bytes);
    let (index, changed) = match decoded {
        Some(mut index) => {
            let records = fetch(&tx, &Array::from(&dirty)).await?;
            let changed = apply(&mut index, &records)?;
            (index, changed)
        }
        None => {
            let all = tx.wait(tx.store(TICKETS)?.get_all()?).await?;
            let mut index = SearchIndex::new();
            for record in Array::from(&all).iter() {
                let t: Ticket = codec::from_record(&record, "ticket")?;
                index_ticket(&mut index, &t);
            }
            (index, usize::MAX)
        }
    };
    if changed < RESAVE_FROM {
        drop(tx);
        store.inner.search_generation.set(generation);
        return Ok(index);
    }
    write(&tx, &index.snapshot(), generation + 1.0)?;
    tx.commit().await?;
    store.inner.search_generation.set(generation + 1.0);
    Ok(index)
}

/// Puts the snapshot and its generation and empties the dirty list, in `tx`.
fn write(tx: &Tx, bytes: &[u8], generation: f64) -> Result<(), IdbError> {
    let search = tx.store(SEARCH)?;
    search.put_with_key(&Uint8Array::from(bytes), &JsValue::from_str(SNAPSHOT_KEY))?;
    search.put_with_key(
        &JsValue::from_f64(generation),
        &JsValue::from_str(GENERATION_KEY),
    )?;
    tx.store(SEARCH_DIRTY)?.clear()?;
    Ok(())
}

/// The stored records of the tickets named in `ids` (`undefined` for those no longer stored).
async fn fetch(tx: &Tx, ids: &Array) -> Result<Vec<(JsValue, JsValue)>, IdbError> {
    let tickets = tx.store(TICKETS)?;
    let reqs = ids
        .iter()
        .map(|id| tickets.get(&id))
        .collect::<Result<Vec<_>, _>>()?;
    wait_all(tx, &reqs).await?;
    ids.iter()
        .zip(&reqs)
        .map(|(id, r)| Ok((id, r.result()?)))
        .collect()
}

/// Brings `index` up to date with fetched ticket records; returns how many there were.
fn apply(index: &mut SearchIndex, records: &[(JsValue, JsValue)]) -> Result<usize, IdbError> {
    for (id, record) in records {
        if record.is_undefined() {
            index.remove(&DocRef::Ticket(id.as_string().unwrap_or_default()));
        } else {
            index_ticket(index, &codec::from_record::<Ticket>(record, "ticket")?);
        }
    }
    Ok(records.len())
}

/// Saves this handle's index as the snapshot (see the module docs). `Ok(false)` when there was
/// nothing to save or another tab saved since this one loaded.
pub(crate) async fn save(store: &IdbStore) -> Result<bool, IdbError> {
    let tx = Tx::new(&store.db().await?, &[SEARCH, SEARCH_DIRTY, TICKETS], true)?;
    let search = tx.store(SEARCH)?;
    let generation = search.get(&JsValue::from_str(GENERATION_KEY))?;
    let dirty = tx.wait(tx.store(SEARCH_DIRTY)?.get_all_keys()?).await?;
    let on_disk = generation.result()?.as_f64().unwrap_or(0.0);
    if on_disk != store.inner.search_generation.get() {
        return Ok(false);
    }
    let records = fetch(&tx, &Array::from(&dirty)).await?;
    let bytes = {
        let mut cell = store.inner.search.borrow_mut();
        let Some(index) = cell.as_mut() else {
            return Ok(false);
        };
        apply(index, &records)?;
        index.snapshot()
    };
    write(&tx, &bytes, on_disk + 1.0)?;
    drop(bytes);
    tx.commit().await?;
    store.inner.search_generation.set(on_disk + 1.0);
    Ok(true)
}
