//! Property test: the indexed answers of `History` agree with a plain replay of the events up to the date.

use std::collections::HashMap;

use jiff::civil::Date;
use proptest::prelude::*;

use crate::history::{History, Status};
use crate::model::{Activity, ChangeKind, Register};
use crate::testing::{entry, provision, register};

/// A random history: provisions with parents listed earlier, versions on non-decreasing days (ties included),
/// each changing random provisions in random ways.
fn histories() -> impl Strategy<Value = Register> {
    let provisions = prop::collection::vec((any::<prop::sample::Index>(), any::<bool>(), 0u8..4), 1..8);
    let entries =
        prop::collection::vec((0i32..5, prop::collection::vec((any::<prop::sample::Index>(), 0usize..5), 0..4)), 0..8);
    (provisions, entries).prop_map(|(provisions, entries)| {
        let mut tree = Vec::new();
        for (i, (parent, has_parent, initially)) in provisions.iter().enumerate() {
            let parent_id = (*has_parent && i > 0).then(|| format!("P{}", parent.index(i)));
            let mut p = provision(&format!("P{i}"), parent_id.as_deref());
            p.initially = match initially {
                0 => Some(Activity::Inactive),
                1 => Some(Activity::Active),
                _ => None,
            };
            tree.push(p);
        }
        let count = tree.len();
        let mut day = Date::constant(2014, 1, 1);
        let mut timeline = Vec::new();
        for (i, (gap, changes)) in entries.into_iter().enumerate() {
            day = day.checked_add(jiff::Span::new().days(gap * 30)).expect("date in range");
            let mut e = entry(&format!("{i}.0"), &day.to_string(), &[]);
            for (target, kind) in changes {
                let id = tree[target.index(count)].id.clone();
                let kind = ChangeKind::ALL[kind];
                let opposite = match kind {
                    ChangeKind::Added => Some(ChangeKind::Removed),
                    ChangeKind::Removed => Some(ChangeKind::Added),
                    ChangeKind::Activated => Some(ChangeKind::Deactivated),
                    ChangeKind::Deactivated => Some(ChangeKind::Activated),
                    ChangeKind::Amended => None,
                };
                let clash = opposite.is_some_and(|o| e.changes(o).listed.contains(&id));
                if !clash && !e.changes(kind).listed.contains(&id) {
                    e.changes_mut(kind).listed.push(id);
                }
            }
            timeline.push(e);
        }
        register(tree, timeline)
    })
}

/// The state of the world after applying, one step at a time, every entry in effect on the date.
struct Replay<'a> {
    register: &'a Register,
    parents: Vec<Option<usize>>,
    /// Own added (true) or removed (false), with the step that did it.
    life: Vec<Option<(usize, bool)>>,
    /// Own switch on (true) or off (false), with the step that did it.
    switch: Vec<Option<(usize, bool)>>,
    steps: usize,
}

impl<'a> Replay<'a> {
    fn run(register: &'a Register, date: Date) -> Self {
        let index: HashMap<_, _> = register.provisions.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        let parents = register.provisions.iter().map(|p| p.parent.as_ref().map(|q| index[q])).collect();
        let mut replay = Self {
            register,
            parents,
            life: vec![None; register.provisions.len()],
            switch: vec![None; register.provisions.len()],
            steps: 0,
        };
        let mut order: Vec<usize> = (0..register.entries.len()).collect();
        order.sort_by_key(|&i| (register.entries[i].effective.earliest(), i));
        for i in order {
            let e = &register.entries[i];
            if e.effective.latest().is_none_or(|d| d > date) {
                continue;
            }
            let step = replay.steps;
            for kind in ChangeKind::ALL {
                for id in &e.changes(kind).listed {
                    let p = index[id];
                    match kind {
                        ChangeKind::Added => replay.life[p] = Some((step, true)),
                        ChangeKind::Removed => replay.life[p] = Some((step, false)),
                        ChangeKind::Activated => replay.switch[p] = Some((step, true)),
                        ChangeKind::Deactivated => replay.switch[p] = Some((step, false)),
                        ChangeKind::Amended => {}
                    }
                }
            }
            replay.steps += 1;
        }
        replay
    }

    /// Whether it is in the text, and since which step (None: from the start of the code).
    fn exists(&self, p: usize) -> Result<Option<usize>, Status> {
        if self.steps == 0 {
            return Err(Status::NotYetAdded);
        }
        match self.life[p] {
            Some((step, true)) => {
                if let Some(parent) = self.parents[p]
                    && let Some((removed, false)) = self.removal_of(parent)
                    && removed > step
                {
                    let _ = removed;
                    return Err(Status::Removed);
                }
                Ok(Some(step))
            }
            Some((_, false)) => Err(Status::Removed),
            None => {
                let id = &self.register.provisions[p].id;
                if self.register.entries.iter().any(|e| e.added.listed.contains(id)) {
                    return Err(Status::NotYetAdded);
                }
                match self.parents[p] {
                    Some(parent) => self.exists(parent),
                    None => Ok(None),
                }
            }
        }
    }

    /// The removal that takes a provision out of the text, if that is its state: its own or inherited.
    fn removal_of(&self, p: usize) -> Option<(usize, bool)> {
        match self.exists(p) {
            Err(Status::Removed) => match self.life[p] {
                Some((step, false)) => Some((step, false)),
                _ => self.parents[p].and_then(|q| self.removal_of(q)),
            },
            _ => None,
        }
    }

    fn status(&self, p: usize) -> Status {
        if let Err(status) = self.exists(p) {
            return status;
        }
        let mut best: Option<(Option<usize>, usize, bool)> = None;
        let mut current = Some(p);
        let mut depth = 0;
        while let Some(q) = current {
            let mut candidates = Vec::new();
            if let Some((step, on)) = self.switch[q] {
                candidates.push((Some(step), depth, on));
            }
            if let Some(initially) = self.register.provisions[q].initially {
                let since = self.exists(q).ok().flatten();
                candidates.push((since, depth, initially == Activity::Active));
            }
            for c in candidates {
                if best.is_none_or(|b| c.0 > b.0 || (c.0 == b.0 && c.1 < b.1)) {
                    best = Some(c);
                }
            }
            current = self.parents[q];
            depth += 1;
        }
        if best.is_none_or(|b| b.2) { Status::InForce } else { Status::Inactive }
    }
}

proptest! {
    #[test]
    fn statuses_agree_with_a_plain_replay(register in histories(), offset in 0i32..200) {
        let date = Date::constant(2013, 12, 1).checked_add(jiff::Span::new().days(offset * 5)).expect("in range");
        let history = History::new(register.clone());
        let replay = Replay::run(&register, date);
        for (p, answer) in history.statuses(date).iter().enumerate() {
            prop_assert_eq!(answer.status, replay.status(p), "provision {} on {}", answer.provision.id, date);
        }
        let expected = register
            .entries
            .iter()
            .filter(|e| e.effective.latest().is_some_and(|d| d <= date))
            .max_by_key(|e| e.effective.earliest())
            .map(|e| e.effective);
        prop_assert_eq!(history.in_force(date).version.map(|v| v.effective), expected);
    }
}
