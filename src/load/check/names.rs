//! Name clashes: two entities that a name or alias would both find.

use std::collections::{HashMap, HashSet};

use super::Decl;
use super::{Ctx, Section};
use crate::load::outline::Step;
use crate::model::names::normalize;

impl<'c, 'a: 'c> Ctx<'c, 'a> {
    /// Two different entities whose names or aliases share a key.
    pub(super) fn check_aliases(&mut self) {
        let mut owner: HashMap<String, (String, Decl)> = HashMap::new();
        let dossiers = self.dossiers;
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, e) in d.data.entities.iter().enumerate() {
                let decl = Decl {
                    file: fi,
                    section: Section::Entity,
                    index: i,
                };
                let mut names: Vec<(String, Vec<Step<'static>>)> =
                    vec![(e.name.to_string(), vec![Step::Field("name")])];
                for (j, a) in e.aliases.iter().enumerate() {
                    names.push((a.to_string(), vec![Step::Field("aliases"), Step::Index(j)]));
                }
                let mut seen = HashSet::new();
                for (name, path) in names {
                    let key = normalize(&name);
                    if key.is_empty() {
                        let span = self.span(fi, Section::Entity, i, &path);
                        self.err(
                            "empty-name",
                            format!("`{name}` has no letters or digits to look it up by"),
                            fi,
                            span,
                        );
                        continue;
                    }
                    if !seen.insert(key.clone()) {
                        continue;
                    }
                    match owner.get(&key) {
                        Some((other, other_decl)) if other != &e.id => {
                            let at = self.place(*other_decl, &[Step::Field("id")]);
                            let other = other.clone();
                            let span = self.span(fi, Section::Entity, i, &path);
                            self.err(
                                "alias-collision",
                                format!("`{name}` would name both `{}` and `{other}`", e.id),
                                fi,
                                span,
                            )
                            .add_note(format!("`{other}` is declared at {at}"))
                            .help = Some("a name must find one entity: drop it from one of them, or make it more specific".into());
                        }
                        Some(_) => {}
                        None => {
                            owner.insert(key, (e.id.to_string(), decl));
                        }
                    }
                }
            }
        }
        // Ids are lookup keys too: an id that is another entity's name.
        for (fi, d) in dossiers.iter().enumerate() {
            for (i, e) in d.data.entities.iter().enumerate() {
                if let Some((other, _)) = owner.get(&normalize(&e.id))
                    && other != &e.id
                {
                    let other = other.clone();
                    let span = self.span(fi, Section::Entity, i, &[Step::Field("id")]);
                    self.err(
                        "alias-collision",
                        format!("id `{}` is also a name of `{other}`", e.id),
                        fi,
                        span,
                    )
                    .help = Some("rename the id or drop the name".into());
                }
            }
        }
    }
}
