//! Converts a synthetic news graph written by `../shared/bench/gen.py` (CSV)
//! into an eje dataset (RON), so that eje and the peer engines (Kuzu,
//! networkx) load the same graph and answer the same query texts.
//!
//! ```text
//! cargo run --release --example bench_convert -- CSV_DIR OUT_DIR [--claims-per-file N]
//! ```
//!
//! What comes out (`OUT_DIR`, recreated):
//! - `schema.ron`: kinds `Person`, `Organization`, `Event`, `City`, `Country`
//!   (the last two under `Place`) and the relation types with the peers'
//!   spellings (`MET_WITH`, `PARTICIPATED_IN`, `MEMBER_OF`, `SUPPLIED`,
//!   `LOCATED_IN`), so `queries.cypher` runs unchanged. None is declared
//!   symmetric: the peers store one directed relation per CSV row, and
//!   `MATCH ()-[r]->()` must count each once.
//! - `entities/<Kind>.ron`: one entity per node row (`id`, `name`,
//!   `aliases`); an Event also gets `when: On(date)` and, as every dated
//!   event needs evidence, the citation of its own `LOCATED_IN` row,
//!   stating the date (`states: [When]`).
//! - `sources/sources-NNN.ron`: one source per `src…` id that some row cites.
//! - `claims/claims-NNN.ron`: one claim per relation row, dated
//!   `when: On(date)`, with one citation `(source, quote, hedge)`; SUPPLIED
//!   carries its `quantity` in the unit `units`. Several files, so the loader
//!   can parse them on both cores.
//! - `manifest.json`: the generator's manifest, copied (query parameters).
//!
//! Certainty becomes the citation's hedge: `confirmed` → `Asserted`,
//! `reported` → `Reported`, `alleged` → `Alleged`, `disputed` → `Denied`
//! (a contested claim: eje's weakest hedge, so "how firm is it" questions
//! keep it apart from merely alleged ones). The quote is a short wording of
//! the relation in that register ("reportedly met").
//!
//! Aliases that normalise to another entity's name, id or alias (the
//! generator's three-letter acronyms of organisations and countries do) are
//! dropped: eje rejects a name that would find two entities. The peers never
//! look aliases up, so no query answer changes; the count is printed.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use eje::model::names::normalize;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const KINDS: [&str; 5] = ["Person", "Organization", "Event", "City", "Country"];

const SCHEMA: &str = r##"// Schema of the synthetic news graph of ../shared/bench (gen.py), converted
// by `cargo run --release --example bench_convert`. Relation types keep the
// peers' spellings so the canonical query texts run unchanged.
(
  kinds: [
    (name: "Entity", description: "anything the news is about"),
    (name: "Person", parent: "Entity", description: "a person", shape: "ellipse", color: "#1f77b4"),
    (name: "Organization", parent: "Entity", description: "a company, party, ministry...", shape: "box", color: "#2ca02c"),
    (name: "Event", parent: "Entity", description: "a summit, talks, a crisis...", shape: "octagon", color: "#d62728"),
    (name: "Place", parent: "Entity", description: "somewhere on the map", shape: "house", color: "#8c564b"),
    (name: "City", parent: "Place", description: "a city"),
    (name: "Country", parent: "Place", description: "a country"),
  ],
  relations: [
    (name: "MET_WITH", description: "two people met", from: ["Person"], to: ["Person"], time: Point),
    (name: "PARTICIPATED_IN", description: "took part in an event", from: ["Person", "Organization"], to: ["Event"], time: Point),
    (name: "MEMBER_OF", description: "belongs to an organisation", from: ["Person"], to: ["Organization"], time: Point),
    (name: "SUPPLIED", description: "one country supplied another", from: ["Country"], to: ["Country"], time: Point, unit: "units"),
    (name: "LOCATED_IN", description: "a city in a country, an event in a city or country", from: ["City", "Event"], to: ["Place"], time: Point),
  ],
  units: [
    (name: "units", description: "items supplied, as the generator counts them"),
  ],
)
"##;

struct Args {
    csv: PathBuf,
    out: PathBuf,
    claims_per_file: usize,
}

fn args() -> Res<Args> {
    let mut it = std::env::args().skip(1);
    let mut pos = Vec::new();
    let mut claims_per_file = 50_000;
    while let Some(a) = it.next() {
        if a == "--claims-per-file" {
            claims_per_file = it
                .next()
                .ok_or("--claims-per-file needs a number")?
                .parse()?;
        } else if a == "-h" || a == "--help" {
            println!("usage: bench_convert CSV_DIR OUT_DIR [--claims-per-file N]");
            std::process::exit(0);
        } else {
            pos.push(PathBuf::from(a));
        }
    }
    let [csv, out]: [PathBuf; 2] = pos
        .try_into()
        .map_err(|_| "usage: bench_convert CSV_DIR OUT_DIR [--claims-per-file N]")?;
    Ok(Args {
        csv,
        out,
        claims_per_file: claims_per_file.max(1),
    })
}

/// The rows of a headed CSV file (gen.py never quotes), header excluded.
fn rows(path: &Path) -> Res<(Vec<String>, Vec<Vec<String>>)> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)?;
    let header = r.headers()?.iter().map(str::to_string).collect();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok((header, out))
}

/// A RON string literal.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hedge(certainty: &str) -> Res<&'static str> {
    Ok(match certainty {
        "confirmed" => "Asserted",
        "reported" => "Reported",
        "alleged" => "Alleged",
        "disputed" => "Denied",
        other => return Err(format!("unknown certainty `{other}`").into()),
    })
}

/// A short quote wording the relation in the register of its certainty.
fn quote(rel: &str, certainty: &str) -> String {
    let (did, doing) = match rel {
        "MET_WITH" => ("met", "having met"),
        "PARTICIPATED_IN" => ("took part", "taking part"),
        "MEMBER_OF" => ("joined", "having joined"),
        "SUPPLIED" => ("supplied", "having supplied"),
        _ => ("is located there", "being located there"),
    };
    match certainty {
        "confirmed" => did.to_string(),
        "reported" => format!("reportedly {did}"),
        "alleged" => format!("allegedly {did}"),
        _ => format!("denies {doing}"),
    }
}

/// `src0001234` → 1234, for a compact set of cited sources.
fn source_number(id: &str) -> Res<usize> {
    id.strip_prefix("src")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("unexpected source id `{id}`").into())
}

struct ClaimWriter {
    dir: PathBuf,
    per_file: usize,
    in_file: usize,
    files: usize,
    total: usize,
    out: Option<BufWriter<fs::File>>,
}

impl ClaimWriter {
    fn push(&mut self, line: &str) -> Res<()> {
        if self.out.is_none() || self.in_file == self.per_file {
            self.finish()?;
            let path = self.dir.join(format!("claims-{:03}.ron", self.files));
            let mut w = BufWriter::new(fs::File::create(path)?);
            writeln!(w, "(\n  claims: [")?;
            self.out = Some(w);
            self.files += 1;
            self.in_file = 0;
        }
        let w = self.out.as_mut().expect("opened above");
        writeln!(w, "    {line},")?;
        self.in_file += 1;
        self.total += 1;
        Ok(())
    }

    fn finish(&mut self) -> Res<()> {
        if let Some(mut w) = self.out.take() {
            writeln!(w, "  ],\n)")?;
            w.flush()?;
        }
        Ok(())
    }
}

fn main() -> Res<()> {
    let a = args()?;
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(a.csv.join("manifest.json"))?)?;
    if a.out.exists() {
        fs::remove_dir_all(&a.out)?;
    }
    for sub in ["entities", "sources", "claims"] {
        fs::create_dir_all(a.out.join(sub))?;
    }
    fs::write(a.out.join("schema.ron"), SCHEMA)?;
    fs::copy(a.csv.join("manifest.json"), a.out.join("manifest.json"))?;

    let edges = manifest["edges"]
        .as_array()
        .ok_or("manifest without edges")?;
    let mut cited: Vec<bool> = Vec::new();
    let mut cite = |id: &str| -> Res<()> {
        let n = source_number(id)?;
        if n >= cited.len() {
            cited.resize(n + 1, false);
        }
        cited[n] = true;
        Ok(())
    };

    // An event's own evidence: the citation of its LOCATED_IN row, which
    // states its date (the place is a claim of its own).
    let mut event_cite: HashMap<String, (String, String)> = HashMap::new();
    for e in edges {
        if e["type"] == "LOCATED_IN" && e["from"] == "Event" {
            let file = e["file"].as_str().ok_or("edge without file")?;
            let (_, rs) = rows(&a.csv.join(file))?;
            for r in rs {
                event_cite.insert(r[0].clone(), (r[3].clone(), r[4].clone()));
            }
        }
    }

    // Entities; aliases that would find a second entity are dropped.
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut tables = Vec::new();
    for kind in KINDS {
        let file = manifest["nodes"][kind]["file"]
            .as_str()
            .ok_or_else(|| format!("manifest without nodes of kind {kind}"))?;
        let (_, rs) = rows(&a.csv.join(file))?;
        for r in &rs {
            owner.insert(normalize(&r[0]), r[0].clone());
            owner.insert(normalize(&r[1]), r[0].clone());
        }
        tables.push((kind, rs));
    }
    let mut dropped = 0usize;
    let mut entities = 0usize;
    for (kind, rs) in &tables {
        let mut w = BufWriter::new(fs::File::create(
            a.out.join("entities").join(format!("{kind}.ron")),
        )?);
        writeln!(w, "(\n  entities: [")?;
        for r in rs {
            let mut aliases = Vec::new();
            let mut mine = HashSet::new();
            for alias in r[2].split('|').filter(|s| !s.is_empty()) {
                let key = normalize(alias);
                match owner.get(&key) {
                    Some(o) if o != &r[0] => dropped += 1,
                    _ => {
                        owner.insert(key.clone(), r[0].clone());
                        if mine.insert(key) {
                            aliases.push(lit(alias));
                        }
                    }
                }
            }
            let mut line = format!(
                "(id: {}, kind: {}, name: {}",
                lit(&r[0]),
                lit(kind),
                lit(&r[1])
            );
            if !aliases.is_empty() {
                write!(line, ", aliases: [{}]", aliases.join(", "))?;
            }
            if *kind == "Event" {
                let date = r.get(3).ok_or("event without a date")?;
                let (src, certainty) = event_cite
                    .get(&r[0])
                    .ok_or_else(|| format!("event {} has no LOCATED_IN row", r[0]))?;
                cite(src)?;
                write!(
                    line,
                    ", when: On({}), cite: [(source: {}, quote: {}, hedge: {}, states: [When])]",
                    lit(date),
                    lit(src),
                    lit("takes place"),
                    hedge(certainty)?
                )?;
            }
            line.push(')');
            writeln!(w, "    {line},")?;
            entities += 1;
        }
        writeln!(w, "  ],\n)")?;
        w.flush()?;
    }

    // Claims, in several files.
    let mut claims = ClaimWriter {
        dir: a.out.join("claims"),
        per_file: a.claims_per_file,
        in_file: 0,
        files: 0,
        total: 0,
        out: None,
    };
    for e in edges {
        let rel = e["type"].as_str().ok_or("edge without type")?;
        let file = e["file"].as_str().ok_or("edge without file")?;
        let (header, rs) = rows(&a.csv.join(file))?;
        let has_quantity = header.iter().any(|h| h == "quantity");
        for r in rs {
            cite(&r[3])?;
            let mut line = format!(
                "(subject: {}, relation: {}, object: {}, when: On({})",
                lit(&r[0]),
                lit(rel),
                lit(&r[1]),
                lit(&r[2])
            );
            if has_quantity {
                let q = r.get(5).ok_or("row without quantity")?;
                write!(
                    line,
                    ", quantity: (value: {q}, unit: \"units\", text: {})",
                    lit(q)
                )?;
            }
            write!(
                line,
                ", cite: [(source: {}, quote: {}, hedge: {})])",
                lit(&r[3]),
                lit(&quote(rel, &r[4])),
                hedge(&r[4])?
            )?;
            claims.push(&line)?;
        }
    }
    claims.finish()?;

    // Sources: every cited id, 50 000 per file.
    let ids: Vec<usize> = (0..cited.len()).filter(|&n| cited[n]).collect();
    for (i, chunk) in ids.chunks(50_000).enumerate() {
        let mut w = BufWriter::new(fs::File::create(
            a.out.join("sources").join(format!("sources-{i:03}.ron")),
        )?);
        writeln!(w, "(\n  sources: [")?;
        for n in chunk {
            writeln!(
                w,
                "    (id: \"src{n:07}\", kind: NewsArticle, title: \"Article {n}\", language: \"en\", file: \"src{n:07}.txt\"),"
            )?;
        }
        writeln!(w, "  ],\n)")?;
        w.flush()?;
    }

    println!(
        "{}: {entities} entities, {} claims in {} files, {} sources; {dropped} aliases dropped (they would name two entities)",
        a.out.display(),
        claims.total,
        claims.files,
        ids.len()
    );
    Ok(())
}
