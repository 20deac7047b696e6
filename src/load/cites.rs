//! Every citation of a dataset with what it supports, for tools that read
//! the evidence rather than the graph (`eje coverage`, the language
//! server). The serde types stay in `load`: callers get plain values.

use super::fast;
use super::files::DataFile;
use super::parse_ron;

/// One citation: which entity or claim it supports, its source and quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteRef {
    /// The entity's id, the claim's id, or for a claim without an id its
    /// `subject relation object`.
    pub owner: String,
    pub source: String,
    pub quote: String,
}

/// The citations of every dossier among `texts`, in file order; texts that
/// are not dossiers (the schema, a file that does not parse) give none.
pub fn citations<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<CiteRef> {
    let mut out = Vec::new();
    for text in texts {
        let data = match fast::parse_dossier(text) {
            Some(d) => d,
            None => match parse_ron::<DataFile<'_>>("", text) {
                Ok(d) => d,
                Err(_) => continue,
            },
        };
        for e in &data.entities {
            for c in &e.cite {
                out.push(CiteRef {
                    owner: e.id.to_string(),
                    source: c.source.to_string(),
                    quote: c.quote.to_string(),
                });
            }
        }
        for claim in &data.claims {
            let owner = match claim.id() {
                Some(id) => id.to_string(),
                None => format!("{} {} {}", claim.subject, claim.relation, claim.object),
            };
            for c in &claim.cite {
                out.push(CiteRef {
                    owner: owner.clone(),
                    source: c.source.to_string(),
                    quote: c.quote.to_string(),
                });
            }
        }
    }
    out
}
