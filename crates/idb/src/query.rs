//! Views on IndexedDB: find candidates with the best index, then let the core decide
//! (`ViewFilter::matches`, `SortKey::compare`, `page_of`). The semantics live in the core once;
//! this module only makes the common views fast.

use std::collections::{BTreeSet, HashSet};

use mostrador_core::model::{Priority, Status, Timestamp};
use mostrador_core::store::{
    AssigneeFilter, Page, PageRequest, SortKey, TicketSummary, ViewFilter, page_of,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbCursorDirection, IdbCursorWithValue, IdbIndex, IdbKeyRange};

use crate::IdbError;
use crate::codec::{assignee_key, ms, priority_rank};
use crate::counts;
use crate::js::{Pending, Tx, key, prop};
use crate::migrations::{
    ASSIGNEE_STATUS_UPDATED, COUNTS, CREATED, CUSTOMER_UPDATED, PRIORITY_UPDATED, RISK, ROWS,
    STATUS_UPDATED, UPDATED,
};
use crate::store::{IdbStore, wait_all};

/// Which index ranges hold every row a filter can match.
#[derive(Debug)]
pub(crate) struct Plan {
    index: &'static str,
    /// Key ranges whose union is the candidate set (disjoint); `undefined` means the whole index.
    ranges: Vec<JsValue>,
    /// The ranges hold exactly the matching rows: counts come straight from the index.
    exact: bool,
    /// Each range is ordered by the row's `updated` time (the index key ends with it).
    by_updated: bool,
}

/// Every key starting with `prefix`: `[prefix…]` up to `[prefix…, []]` (arrays sort after every
/// number and string, so `[]` closes the prefix).
fn prefix(parts: &[JsValue]) -> Result<JsValue, IdbError> {
    let lower = key(parts);
    let mut upper: Vec<JsValue> = parts.to_vec();
    upper.push(js_sys::Array::new().into());
    Ok(IdbKeyRange::bound(&lower, &key(&upper))?.into())
}

fn dedup<T: Ord + Copy>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

fn status_key(s: Status) -> JsValue {
    JsValue::from_str(s.as_str())
}

pub(crate) fn plan(f: &ViewFilter, now: Timestamp) -> Result<Plan, IdbError> {
    let mut rest = f.clone();
    rest.text = None;
    let statuses = dedup(&f.statuses);
    let plan = if f.assignee != AssigneeFilter::Anyone {
        let a = assignee_key(match &f.assignee {
            AssigneeFilter::Agent(a) => Some(a.0.as_str()),
            _ => None,
        });
        rest.assignee = AssigneeFilter::Anyone;
        if statuses.is_empty() {
            Plan {
                index: ASSIGNEE_STATUS_UPDATED,
                ranges: vec![prefix(&[a])?],
                exact: false,
                by_updated: false,
            }
        } else {
            rest.statuses.clear();
            Plan {
                index: ASSIGNEE_STATUS_UPDATED,
                ranges: statuses
                    .iter()
                    .map(|s| prefix(&[a.clone(), status_key(*s)]))
                    .collect::<Result<_, _>>()?,
                exact: false,
                by_updated: true,
            }
        }
    } else if !statuses.is_empty() {
        rest.statuses.clear();
        Plan {
            index: STATUS_UPDATED,
            ranges: statuses
                .iter()
                .map(|s| prefix(&[status_key(*s)]))
                .collect::<Result<_, _>>()?,
            exact: false,
            by_updated: true,
        }
    } else if let Some(c) = &f.customer {
        rest.customer = None;
        Plan {
            index: CUSTOMER_UPDATED,
            ranges: vec![prefix(&[JsValue::from_str(&c.0)])?],
            exact: false,
            by_updated: true,
        }
    } else if !f.priorities.is_empty() {
        rest.priorities.clear();
        priority_plan(f)?
    } else if f.sla_at_risk {
        // A row is at risk at `now` exactly when its `risk` time is at or before `now`
        // (`TicketSummary::sla_risk_from`), so the range holds the view.
        rest.sla_at_risk = false;
        Plan {
            index: RISK,
            ranges: vec![IdbKeyRange::upper_bound(&ms(now))?.into()],
            exact: false,
            by_updated: false,
        }
    } else {
        Plan {
            index: UPDATED,
            ranges: vec![JsValue::UNDEFINED],
            exact: false,
            by_updated: true,
        }
    };
    Ok(Plan {
        exact: rest == ViewFilter::default(),
        ..plan
    })
}

/// The rows of the filter's priorities, newest last in each range (the filter's other conditions
/// are left to `matches`).
fn priority_plan(f: &ViewFilter) -> Result<Plan, IdbError> {
    Ok(Plan {
        index: PRIORITY_UPDATED,
        ranges: dedup::<Priority>(&f.priorities)
            .iter()
            .map(|p| prefix(&[JsValue::from_f64(priority_rank(*p))]))
            .collect::<Result<_, _>>()?,
        exact: false,
        by_updated: true,
    })
}

/// For a countable view filtering on priorities as well as statuses (or an assignee): whether
/// its priorities' ranges hold fewer rows than the ranges `plan` chose, so a walk finds the page
/// sooner there (the urgent tickets among every active one).
fn priorities_are_narrower(f: &ViewFilter, counters: &counts::Counters) -> bool {
    if f.priorities.is_empty() || (f.statuses.is_empty() && f.assignee == AssigneeFilter::Anyone) {
        return false;
    }
    let size = |g: ViewFilter| g.count_from(counters.iter().map(|(k, n)| (k, *n)));
    let chosen = size(ViewFilter {
        statuses: f.statuses.clone(),
        assignee: f.assignee.clone(),
        ..ViewFilter::default()
    });
    let priorities = size(ViewFilter {
        priorities: f.priorities.clone(),
        ..ViewFilter::default()
    });
    matches!((priorities, chosen), (Some(p), Some(c)) if p < c)
}

fn index(tx: &Tx, name: &str) -> Result<IdbIndex, IdbError> {
    Ok(tx.store(ROWS)?.index(name)?)
}

/// How many rows the index ranges hold.
async fn index_count(tx: &Tx, plan: &Plan) -> Result<usize, IdbError> {
    let index = index(tx, plan.index)?;
    let reqs = plan
        .ranges
        .iter()
        .map(|r| index.count_with_key(r))
        .collect::<Result<Vec<_>, _>>()?;
    wait_all(tx, &reqs).await?;
    let mut total = 0usize;
    for r in &reqs {
        total += r.result()?.as_f64().unwrap_or(0.0) as usize;
    }
    Ok(total)
}

/// Every row in the plan's ranges.
async fn read_ranges(tx: &Tx, plan: &Plan) -> Result<Vec<TicketSummary>, IdbError> {
    let index = index(tx, plan.index)?;
    let reqs = plan
        .ranges
        .iter()
        .map(|r| index.get_all_with_key(r))
        .collect::<Result<Vec<_>, _>>()?;
    wait_all(tx, &reqs).await?;
    let results = reqs
        .iter()
        .map(|r| r.result().map(|v| js_sys::Array::from(&v)))
        .collect::<Result<Vec<_>, _>>()?;
    let total = results.iter().map(|a| a.length() as usize).sum();
    crate::codec::decode_rows(results.iter().flat_map(|a| a.iter()), total).await
}

/// The rows a filter may match (a superset; callers apply `ViewFilter::matches`).
pub(crate) async fn candidates(
    store: &IdbStore,
    filter: &ViewFilter,
) -> Result<Vec<TicketSummary>, IdbError> {
    let plan = plan(filter, Timestamp::UNIX_EPOCH)?;
    let tx = store.rows_tx().await?;
    read_ranges(&tx, &plan).await
}

/// The ticket counters, when they answer the filter exactly (the core decides).
async fn counters_for(tx: &Tx, filter: &ViewFilter) -> Result<Option<counts::Counters>, IdbError> {
    if !filter.countable() {
        return Ok(None);
    }
    let all = tx.wait(counts::request_all(&tx.store(COUNTS)?)?).await?;
    Ok(Some(counts::decode_all(&all)?))
}

/// The view's total from the ticket counters, when they answer it exactly.
async fn counted(tx: &Tx, filter: &ViewFilter) -> Result<Option<usize>, IdbError> {
    Ok(counters_for(tx, filter)
        .await?
        .and_then(|c| filter.count_from(c.iter().map(|(k, n)| (k, *n)))))
}

pub(crate) async fn count(
    store: &IdbStore,
    filter: &ViewFilter,
    now: Timestamp,
) -> Result<usize, IdbError> {
    let tx = store.rows_tx().await?;
    if let Some(n) = counted(&tx, filter).await? {
        return Ok(n);
    }
    let plan = plan(filter, now)?;
    if plan.exact {
        return index_count(&tx, &plan).await;
    }
    let rows = read_ranges(&tx, &plan).await?;
    Ok(rows.iter().filter(|r| filter.matches(r, now)).count())
}

pub(crate) async fn page(store: &IdbStore, req: &PageRequest) -> Result<Page, IdbError> {
    let mut plan = plan(&req.filter, req.now)?;
    let tx = store.rows_tx().await?;
    let counters = counters_for(&tx, &req.filter).await?;
    let known = counters
        .as_ref()
        .and_then(|c| req.filter.count_from(c.iter().map(|(k, n)| (k, *n))));
    if let Some(c) = &counters
        && priorities_are_narrower(&req.filter, c)
    {
        plan = priority_plan(&req.filter)?;
    }
    // The whole-store plan can follow creation time just as well.
    let whole = plan.index == UPDATED;
    let walk = match req.sort {
        SortKey::UpdatedDesc if plan.by_updated => Some((IdbCursorDirection::Prev, "updated")),
        SortKey::UpdatedAsc if plan.by_updated => Some((IdbCursorDirection::Next, "updated")),
        SortKey::CreatedDesc if whole => Some((IdbCursorDirection::Prev, "created")),
        SortKey::CreatedAsc if whole => Some((IdbCursorDirection::Next, "created")),
        _ => None,
    };
    // Walking the index and filtering as it goes finds the page quickly; the total must then
    // come from the counters or from counting an exact index range.
    let (Some((direction, field)), true) = (walk, plan.exact || known.is_some()) else {
        // No index follows this order, or a filter neither the index nor the counters can
        // total: read the candidates and let the core filter, sort and page them.
        let rows = read_ranges(&tx, &plan).await?;
        return Ok(page_of(rows.iter(), req));
    };
    if whole && field == "created" {
        plan.index = CREATED;
    }
    let total = match known {
        Some(n) => n,
        None => index_count(&tx, &plan).await?,
    };
    let need = req.offset.saturating_add(req.limit);
    let index = index(&tx, plan.index)?;
    let mut rows: Vec<TicketSummary> = Vec::new();
    for range in &plan.ranges {
        walk_range(
            &tx, &index, range, direction, field, need, req, None, &mut rows,
        )
        .await?;
    }
    rows.sort_by(|a, b| req.sort.compare(a, b));
    Ok(Page {
        items: rows.into_iter().skip(req.offset).take(req.limit).collect(),
        total,
    })
}

/// The tickets of a text query (`ids`, from the search index) that the filter's other criteria
/// keep, when the filter's index ranges answer those criteria exactly and the view is small next
/// to the hits: the ranges' primary keys (ticket ids) are read, no row is decoded. `None`
/// otherwise.
async fn hits_in_view(
    tx: &Tx,
    ids: &BTreeSet<String>,
    filter: &ViewFilter,
    now: Timestamp,
) -> Result<Option<HashSet<String>>, IdbError> {
    let plan = plan(filter, now)?;
    if !plan.exact {
        return Ok(None);
    }
    if plan.index == UPDATED {
        // No other criteria: every ticket the index found has its row (both are written with
        // the ticket), and reading every row's key would cost more than the rest of the query.
        return Ok(Some(ids.iter().cloned().collect()));
    }
    // Reading a key costs about a fifth of reading a row by id (at 100,000 tickets: 1.1 s for
    // every key of the store, 1.0 s for 17,675 rows): the keys only pay when the view is small
    // next to the hits, which the counters say for free. Otherwise the caller reads the hits.
    let without_text = ViewFilter {
        text: None,
        ..filter.clone()
    };
    match counted(tx, &without_text).await? {
        Some(size) if size <= ids.len().saturating_mul(KEYS_PER_ROW) => {}
        _ => return Ok(None),
    }
    let index = index(tx, plan.index)?;
    let reqs = plan
        .ranges
        .iter()
        .map(|r| index.get_all_keys_with_key(r))
        .collect::<Result<Vec<_>, _>>()?;
    wait_all(tx, &reqs).await?;
    let mut hits = HashSet::with_capacity(ids.len());
    for r in &reqs {
        for k in js_sys::Array::from(&r.result()?).iter() {
            if let Some(id) = k.as_string()
                && ids.contains(&id)
            {
                hits.insert(id);
            }
        }
    }
    Ok(Some(hits))
}

/// How many keys of a view are read, at most, for each text hit (see [`hits_in_view`]).
const KEYS_PER_ROW: usize = 4;

/// How many of a text query's tickets (`ids`) a filter keeps, without decoding a row; `None`
/// when its other criteria need the rows.
pub(crate) async fn count_hits(
    store: &IdbStore,
    ids: &BTreeSet<String>,
    filter: &ViewFilter,
    now: Timestamp,
) -> Result<Option<usize>, IdbError> {
    let tx = store.rows_tx().await?;
    Ok(hits_in_view(&tx, ids, filter, now).await?.map(|h| h.len()))
}

/// One page of a text view whose query matched many tickets (`ids`): the total from the view's
/// index keys ([`hits_in_view`]), the page by walking every row in the sort's order and decoding
/// only the hits, until the page is full. With a common word (a sixth of the store) the first
/// page is found after a few hundred steps, instead of reading and sorting every hit. `None`
/// when the sort has no index or the view's criteria need the rows: the caller reads the hits.
pub(crate) async fn page_of_hits(
    store: &IdbStore,
    ids: &BTreeSet<String>,
    req: &PageRequest,
) -> Result<Option<Page>, IdbError> {
    let (direction, sort_index, field) = match req.sort {
        SortKey::UpdatedDesc => (IdbCursorDirection::Prev, UPDATED, "updated"),
        SortKey::UpdatedAsc => (IdbCursorDirection::Next, UPDATED, "updated"),
        SortKey::CreatedDesc => (IdbCursorDirection::Prev, CREATED, "created"),
        SortKey::CreatedAsc => (IdbCursorDirection::Next, CREATED, "created"),
        SortKey::PriorityDesc | SortKey::SlaDueAsc => return Ok(None),
    };
    let tx = store.rows_tx().await?;
    let Some(hits) = hits_in_view(&tx, ids, &req.filter, req.now).await? else {
        return Ok(None);
    };
    let total = hits.len();
    let need = req.offset.saturating_add(req.limit).min(total);
    let mut rows: Vec<TicketSummary> = Vec::new();
    let index = index(&tx, sort_index)?;
    walk_range(
        &tx,
        &index,
        &JsValue::UNDEFINED,
        direction,
        field,
        need,
        req,
        Some(&hits),
        &mut rows,
    )
    .await?;
    rows.sort_by(|a, b| req.sort.compare(a, b));
    Ok(Some(Page {
        items: rows.into_iter().skip(req.offset).take(req.limit).collect(),
        total,
    }))
}

/// Reads one range in index order until it has `need` matching rows and has finished the group
/// of rows sharing the last sort key (ties are ordered by id, which the index does not do).
#[allow(clippy::too_many_arguments)]
async fn walk_range(
    tx: &Tx,
    index: &IdbIndex,
    range: &JsValue,
    direction: IdbCursorDirection,
    field: &str,
    need: usize,
    req: &PageRequest,
    hits: Option<&HashSet<String>>,
    out: &mut Vec<TicketSummary>,
) -> Result<(), IdbError> {
    if need == 0 {
        return Ok(());
    }
    let cursor_req = index.open_cursor_with_range_and_direction(range, direction)?;
    let pending = Pending::new(cursor_req);
    let mut taken = 0usize;
    let mut last_key: Option<f64> = None;
    loop {
        let v = match pending.next().await {
            Ok(v) => v,
            Err(e) => return Err(tx.reason(e)),
        };
        let Some(cursor) = v.dyn_ref::<IdbCursorWithValue>() else {
            return Ok(());
        };
        let record = cursor.value()?;
        let sort_key = prop(&record, field).as_f64();
        if taken >= need && sort_key != last_key {
            return Ok(());
        }
        // A text view's walk decodes only the rows its query found.
        if let Some(hits) = hits
            && !cursor
                .primary_key()?
                .as_string()
                .is_some_and(|id| hits.contains(&id))
        {
            cursor.continue_()?;
            continue;
        }
        let row: TicketSummary = crate::codec::from_record(&record, "row")?;
        if req.filter.matches(&row, req.now) {
            taken += 1;
            last_key = sort_key;
            out.push(row);
        }
        cursor.continue_()?;
    }
}
