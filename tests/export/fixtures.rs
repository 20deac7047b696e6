//! Test graphs built with the model's own API: a small curated-looking
//! alliance graph with a schema, and one full of hostile strings.

use std::collections::BTreeMap;

use eje::model::{
    Graph, KindDef, Node, PartialDate, Props, Rel, RelationDef, Schema, Source, Style, TimeShape,
    Value,
};
use indexmap::IndexMap;
use petgraph::graph::{EdgeIndex, NodeIndex};

fn kind(name: &str, parent: Option<&str>, shape: &str, color: &str) -> (String, KindDef) {
    (
        name.to_string(),
        KindDef {
            name: name.to_string(),
            parent: parent.map(str::to_string),
            description: format!("A {name}."),
            style: Style {
                shape: shape.to_string(),
                color: color.to_string(),
            },
        },
    )
}

fn relation(name: &str, symmetric: bool, time: TimeShape) -> (String, RelationDef) {
    (
        name.to_string(),
        RelationDef {
            name: name.to_string(),
            description: String::new(),
            from: vec![],
            to: vec![],
            symmetric,
            time,
            unit: None,
            roles: vec![],
        },
    )
}

pub fn schema() -> Schema {
    let kinds: IndexMap<String, KindDef> = [
        kind("Entity", None, "", ""),
        kind("Agent", Some("Entity"), "box", "#1f77b4"),
        kind("Person", Some("Agent"), "box", "#1f77b4"),
        kind("Organization", Some("Agent"), "component", "#ff7f0e"),
        kind("MilitaryUnit", Some("Organization"), "", ""),
        kind("Place", Some("Entity"), "house", "#2ca02c"),
        kind("Country", Some("Place"), "", ""),
        kind("City", Some("Place"), "", "#98df8a"),
        kind("Event", Some("Entity"), "ellipse", "#9467bd"),
        kind("Meeting", Some("Event"), "", ""),
        kind("Summit", Some("Meeting"), "doubleoctagon", "#d62728"),
        kind("Deployment", Some("Event"), "cds", "#8c564b"),
        kind("Agreement", Some("Entity"), "note", "#e377c2"),
    ]
    .into_iter()
    .collect();
    let relations = [
        relation("met_with", true, TimeShape::Point),
        relation("participant_in", false, TimeShape::Any),
        relation("held_at", false, TimeShape::Timeless),
        relation("located_in", false, TimeShape::Timeless),
        relation("deployed_to", false, TimeShape::Interval),
        relation("supplied_to", false, TimeShape::Any),
        relation("signed", false, TimeShape::Point),
        relation("leads", false, TimeShape::Interval),
    ]
    .into_iter()
    .collect();
    Schema {
        kinds,
        relations,
        units: IndexMap::new(),
    }
}

pub fn date(s: &str) -> Value {
    Value::Date(PartialDate::parse(s).unwrap())
}

pub fn s(x: &str) -> Value {
    Value::Str((x.to_string()).into())
}

pub fn strs(xs: &[&str]) -> Value {
    Value::List(xs.iter().map(|x| s(x)).collect())
}

pub fn entity(
    g: &mut Graph,
    id: &str,
    kind: &str,
    name: &str,
    aliases: &[&str],
    extra: Props,
) -> NodeIndex {
    let labels: Vec<String> = match &g.schema {
        Some(sc) => sc.lineage(kind).into_iter().map(str::to_string).collect(),
        None => vec![kind.to_string()],
    };
    let mut props = Props::new();
    props.insert("id".into(), s(id));
    props.insert("name".into(), s(name));
    props.insert("kind".into(), s(kind));
    props.insert("aliases".into(), strs(aliases));
    props.extend(extra);
    g.add_node(Node {
        id: id.to_string(),
        labels,
        props,
    })
}

/// One citation, as the loader writes it into `citations`.
pub fn cite(source: &str, quote: &str, claimant: &str, hedge: &str) -> Value {
    let mut m = BTreeMap::new();
    m.insert("source".to_string(), s(source));
    m.insert("quote".to_string(), s(quote));
    m.insert("claimant".to_string(), s(claimant));
    m.insert("hedge".to_string(), s(hedge));
    Value::Map(m)
}

/// A curated claim: evidence properties derived from its citations, as the
/// loader sets them.
pub fn claim(
    g: &mut Graph,
    from: NodeIndex,
    rel_type: &str,
    to: NodeIndex,
    id: &str,
    cites: &[(&str, &str, &str, &str)],
    extra: Props,
) -> EdgeIndex {
    let weakest = [
        "denied",
        "alleged",
        "expected",
        "estimated",
        "reported",
        "asserted",
    ]
    .into_iter()
    .find(|h| cites.iter().any(|c| c.3 == *h))
    .unwrap_or("asserted");
    let mut props = Props::new();
    props.insert("id".into(), s(id));
    props.insert("hedge".into(), s(weakest));
    props.insert("rank".into(), s("normal"));
    props.insert(
        "sources".into(),
        Value::List(cites.iter().map(|c| s(c.0)).collect()),
    );
    props.insert(
        "quotes".into(),
        Value::List(cites.iter().map(|c| s(c.1)).collect()),
    );
    props.insert(
        "claimants".into(),
        Value::List(cites.iter().map(|c| s(c.2)).collect()),
    );
    props.insert(
        "citations".into(),
        Value::List(cites.iter().map(|c| cite(c.0, c.1, c.2, c.3)).collect()),
    );
    props.insert("derived".into(), Value::Bool(false));
    props.extend(extra);
    g.add_rel(
        from,
        to,
        Rel {
            rel_type: rel_type.into(),
            props,
        },
    )
}

pub fn props(entries: &[(&str, Value)]) -> Props {
    entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// A small alliance graph in the shape the loader builds: entities with
/// their kind's lineage as labels, events with participants, claims with
/// evidence, a located_in hierarchy, hedged, deprecated, disputed and
/// derived claims.
pub fn alliance() -> Graph {
    let mut g = Graph::new(Some(schema()));
    let none = Props::new;
    let putin = entity(
        &mut g,
        "putin",
        "Person",
        "Vladimir Putin",
        &["Vladímir Putin", "Владимир Путин"],
        props(&[("description", s("President of Russia."))]),
    );
    let kim = entity(
        &mut g,
        "kim_jong_un",
        "Person",
        "Kim Jong Un",
        &["Kim Jong-un", "김정은"],
        none(),
    );
    let choe = entity(
        &mut g,
        "choe_son_hui",
        "Person",
        "Choe Son Hui",
        &["Choe Son-hui"],
        none(),
    );
    let lavrov = entity(&mut g, "lavrov", "Person", "Sergei Lavrov", &[], none());
    let russia = entity(&mut g, "russia", "Country", "Russia", &["Rusia"], none());
    let dprk = entity(
        &mut g,
        "north_korea",
        "Country",
        "Democratic People's Republic of Korea",
        &["North Korea", "Corea del Norte"],
        none(),
    );
    let ukraine = entity(
        &mut g,
        "ukraine",
        "Country",
        "Ukraine",
        &["Ucrania"],
        none(),
    );
    let moscow = entity(&mut g, "moscow", "City", "Moscow", &["Moscú"], none());
    let pyongyang = entity(&mut g, "pyongyang", "City", "Pyongyang", &[], none());
    let kursk = entity(
        &mut g,
        "kursk_oblast",
        "Place",
        "Kursk Oblast",
        &["Kursk"],
        none(),
    );
    let kpa = entity(
        &mut g,
        "kpa",
        "MilitaryUnit",
        "Korean People's Army",
        &["KPA"],
        props(&[("founded", Value::Int(1948))]),
    );
    let nis = entity(
        &mut g,
        "nis",
        "Organization",
        "National Intelligence Service",
        &["NIS"],
        props(&[("country", s("South Korea"))]),
    );
    let summit = entity(
        &mut g,
        "summit_2024_pyongyang",
        "Summit",
        "Putin–Kim summit in Pyongyang",
        &[],
        props(&[("date", date("2024-06-19"))]),
    );
    let treaty = entity(
        &mut g,
        "treaty_2024",
        "Agreement",
        "Treaty on Comprehensive Strategic Partnership",
        &[],
        props(&[("date", date("2024-06-19"))]),
    );
    let deploy = entity(
        &mut g,
        "kursk_deployment",
        "Deployment",
        "KPA deployment to Kursk",
        &[],
        props(&[("start", date("2024-10")), ("end", date("2025-04"))]),
    );

    let a = ("src_a", "Putin and Kim met in Pyongyang", "", "asserted");
    let r = (
        "src_b",
        "según la inteligencia surcoreana, unos 11.000 efectivos",
        "nis",
        "reported",
    );
    let al = (
        "src_c",
        "habría enviado misiles",
        "fuentes diplomáticas",
        "alleged",
    );
    let est = ("src_b", "an estimated 12,000 troops", "nis", "estimated");
    let exp = ("src_a", "Kim is expected to visit Moscow", "", "expected");
    let den = ("src_d", "Moscow denied any deployment", "lavrov", "denied");

    claim(
        &mut g,
        putin,
        "participant_in",
        summit,
        "c_putin_summit",
        &[a],
        props(&[("role", s("guest"))]),
    );
    claim(
        &mut g,
        kim,
        "participant_in",
        summit,
        "c_kim_summit",
        &[a],
        props(&[("role", s("host"))]),
    );
    claim(
        &mut g,
        summit,
        "held_at",
        pyongyang,
        "c_summit_at",
        &[a],
        none(),
    );
    claim(
        &mut g,
        putin,
        "signed",
        treaty,
        "c_putin_signed",
        &[a],
        props(&[("date", date("2024-06-19"))]),
    );
    claim(
        &mut g,
        kim,
        "signed",
        treaty,
        "c_kim_signed",
        &[a],
        props(&[("date", date("2024-06-19"))]),
    );
    claim(
        &mut g,
        moscow,
        "located_in",
        russia,
        "c_moscow_in",
        &[a],
        none(),
    );
    claim(
        &mut g,
        pyongyang,
        "located_in",
        dprk,
        "c_pyongyang_in",
        &[a],
        none(),
    );
    claim(
        &mut g,
        kursk,
        "located_in",
        russia,
        "c_kursk_in",
        &[a],
        none(),
    );
    claim(
        &mut g,
        kim,
        "leads",
        dprk,
        "c_kim_leads",
        &[a],
        props(&[("start", date("2011-12"))]),
    );
    claim(
        &mut g,
        putin,
        "leads",
        russia,
        "c_putin_leads",
        &[a],
        props(&[("start", date("2000"))]),
    );
    claim(
        &mut g,
        kpa,
        "participant_in",
        deploy,
        "c_kpa_deploy",
        &[r],
        none(),
    );
    claim(
        &mut g,
        deploy,
        "held_at",
        kursk,
        "c_deploy_at",
        &[r],
        none(),
    );
    claim(
        &mut g,
        kpa,
        "deployed_to",
        kursk,
        "c_troops_11000",
        &[r],
        props(&[
            ("start", date("2024-10")),
            ("end", date("2025-04")),
            ("quantity", Value::Int(11000)),
            ("unit", s("troops")),
            ("conflicts_with", strs(&["c_troops_12000"])),
        ]),
    );
    claim(
        &mut g,
        kpa,
        "deployed_to",
        kursk,
        "c_troops_12000",
        &[est],
        props(&[
            ("start", date("2024-11")),
            ("quantity", Value::Int(12000)),
            ("unit", s("troops")),
            ("conflicts_with", strs(&["c_troops_11000"])),
        ]),
    );
    claim(
        &mut g,
        dprk,
        "supplied_to",
        russia,
        "c_missiles",
        &[al],
        props(&[("start", date("2023-08")), ("end", date("2024"))]),
    );
    claim(
        &mut g,
        kim,
        "met_with",
        putin,
        "c_visit_expected",
        &[exp],
        props(&[("date", date("2025"))]),
    );
    claim(
        &mut g,
        russia,
        "deployed_to",
        ukraine,
        "c_denied",
        &[den],
        props(&[("date", date("2022-02-24"))]),
    );
    claim(
        &mut g,
        choe,
        "met_with",
        lavrov,
        "c_choe_lavrov",
        &[a],
        props(&[("date", date("2024-11-01"))]),
    );
    claim(
        &mut g,
        choe,
        "met_with",
        lavrov,
        "c_choe_lavrov_old",
        &[a],
        props(&[
            ("date", date("2024-10")),
            ("rank", s("deprecated")),
            ("rank_reason", s("superseded by the precise date")),
        ]),
    );
    claim(
        &mut g,
        nis,
        "located_in",
        ukraine,
        "c_nis_wrong",
        &[al],
        props(&[("rank", s("deprecated"))]),
    );
    for (id, title, lang) in [
        ("src_a", "Putin arrives in Pyongyang", "en"),
        ("src_b", "Corea del Norte envía tropas", "es"),
        ("src_c", "Misiles norcoreanos", "es"),
        ("src_d", "Kremlin denies \"deployment\" <claims>", "en"),
    ] {
        g.sources_mut().insert(
            id.to_string(),
            Source {
                id: id.to_string(),
                kind: "news_article".into(),
                title: title.into(),
                publisher: Some("nis".into()).filter(|_| id == "src_b"),
                published: PartialDate::parse("2024-06-20").ok(),
                language: lang.into(),
                file: format!("{id}.txt"),
            },
        );
    }
    // Derived from the summit's participants.
    g.add_rel(
        putin,
        kim,
        Rel {
            rel_type: "met_with".into(),
            props: props(&[
                ("date", date("2024-06-19")),
                ("derived", Value::Bool(true)),
                ("sources", strs(&["src_a"])),
                ("hedge", s("asserted")),
            ]),
        },
    );
    g
}

/// A graph whose strings try to break every format: quotes, backslashes,
/// line breaks, markup, braces, pipes, other scripts, emoji, control
/// characters; ids, labels, types and keys included. No schema.
pub fn hostile() -> Graph {
    let mut g = Graph::new(None);
    let nasty = "He said \"hi\" \\ O'Brien\n<b>bold</b> {x} | y & z; -- /* */ // `tick` $p";
    let mut n = |id: &str, labels: &[&str], extra: &[(&str, Value)]| {
        let mut props = props(extra);
        props.insert("id".into(), s(id));
        g.add_node(Node {
            id: id.to_string(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            props,
        })
    };
    let a = n(
        "a\"b\\c",
        &["Person"],
        &[
            ("name", s(nasty)),
            ("aliases", strs(&["Путин", "김정은", "😀🇰🇵", "a\\\"b"])),
        ],
    );
    let b = n(
        "{node}|<2>",
        &["Weird Label", "Other-Label"],
        &[
            ("name", s("Ким Чен Ын / 김정은 🚀")),
            ("end", s("reserved key")),
            ("key with space", Value::Int(-7)),
            ("ratio", Value::Float(0.25)),
            ("flag", Value::Bool(true)),
            (
                "mixed",
                Value::List(vec![Value::Int(1), s("two"), Value::Null]),
            ),
            (
                "nested",
                Value::Map(BTreeMap::from([("k".to_string(), strs(&["v\n2"]))])),
            ),
            ("when", date("2024-06")),
            ("tab\tand\rcr", s("line1\r\nline2\ttab")),
        ],
    );
    let c = n("plain", &[], &[("name", s("\\"))]);
    let d = n(
        "ends\\",
        &["Person"],
        &[("name", s("]]> </graphml> <!-- --> &amp; &#x41;"))],
    );
    let e = n(
        "ctrl",
        &["Person"],
        &[("name", s("bell\u{7} nul-free esc\u{1b}"))],
    );
    g.add_rel(
        a,
        b,
        Rel {
            rel_type: "KNOWS".into(),
            props: props(&[
                ("note", s(nasty)),
                ("since", date("2024-06-19")),
                ("w", Value::Int(3)),
            ]),
        },
    );
    g.add_rel(
        b,
        a,
        Rel {
            rel_type: "rel type-with space".into(),
            props: props(&[("hedge", s("alleged")), ("conflicts_with", strs(&["x'y"]))]),
        },
    );
    g.add_rel(
        a,
        c,
        Rel {
            rel_type: "KNOWS".into(),
            props: props(&[
                ("w", Value::Float(1.5)),
                ("quantity", Value::Int(5)),
                ("unit", s("<units>")),
            ]),
        },
    );
    g.add_rel(
        c,
        c,
        Rel {
            rel_type: "SELF".into(),
            props: Props::new(),
        },
    );
    g.add_rel(
        d,
        e,
        Rel {
            rel_type: "KNOWS".into(),
            props: props(&[("rank", s("deprecated")), ("derived", Value::Bool(true))]),
        },
    );
    g
}
