//! The HTML evidence map: self-contained, deterministic, small enough,
//! escaped. What it does in a browser is checked by
//! `tests/browser/run.sh` (headless Chromium).

#[path = "export/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use eje::export::Subgraph;
use eje::export::html::{MAX_NODES, Scope, map_data, to_html};
use eje::model::Graph;
use serde_json::Value as Json;

fn bundled() -> Graph {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    match eje::load::load_dir(&dir, &eje::load::Options::default()) {
        Ok(loaded) => loaded.graph,
        Err(f) => panic!("the bundled data does not load:\n{}", f.render(false)),
    }
}

/// The embedded data, read back from the page.
fn embedded(html: &str) -> Json {
    let open = "<script id=\"eje-data\" type=\"application/json\">";
    let start = html.find(open).expect("the data element") + open.len();
    let len = html[start..].find("</script>").expect("its end");
    serde_json::from_str(&html[start..start + len]).expect("valid JSON")
}

/// The value of every `attr="..."` in the markup outside the inline
/// scripts and styles.
fn attribute_values<'a>(markup: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!("{attr}=\"");
    let mut out = Vec::new();
    let mut rest = markup;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The page without the content of its `<script>` and `<style>` elements.
fn markup_only(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = ["<script", "<style"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, tag)) = next else {
            out.push_str(rest);
            return out;
        };
        let open_end = i + rest[i..].find('>').expect("tag end") + 1;
        out.push_str(&rest[..open_end]);
        let close = format!("</{}", &tag[1..]);
        let j = open_end + rest[open_end..].find(&close).expect("element end");
        rest = &rest[j..];
    }
}

#[test]
fn the_map_is_self_contained_and_forbids_the_network() {
    let g = bundled();
    let html = to_html(&g, &Subgraph::whole(&g), &Scope::Whole).unwrap();
    let markup = markup_only(&html);
    for attr in ["src", "href", "action", "srcset", "poster", "data"] {
        for v in attribute_values(&markup, attr) {
            assert!(
                !v.contains("//") && !v.to_ascii_lowercase().starts_with("http"),
                "{attr}=\"{v}\" points at the network"
            );
        }
    }
    assert!(!markup.contains("<link"), "no linked resources");
    assert!(!markup.contains("<iframe") && !markup.contains("<img"));
    // The policy is the first thing in <head> after the charset.
    let csp = html
        .find("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .expect("a Content-Security-Policy");
    assert!(csp < html.find("<style").unwrap() && csp < html.find("<script").unwrap());
    let policy = attribute_values(&html[csp..], "content")[0];
    for directive in [
        "default-src 'none'",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} missing: {policy}");
    }
    assert!(
        !policy.contains("unsafe") && !policy.contains("http"),
        "{policy}"
    );
    // Every inline script but the data runs only by its hash.
    assert_eq!(html.matches("<script>").count(), 2);
    assert_eq!(policy.matches("'sha256-").count(), 4);
}

#[test]
fn the_same_graph_gives_the_same_bytes() {
    let g = bundled();
    let a = to_html(&g, &Subgraph::whole(&g), &Scope::Whole).unwrap();
    // The data loaded again, on every core again, is the same graph.
    let again = bundled();
    let b = to_html(&again, &Subgraph::whole(&again), &Scope::Whole).unwrap();
    assert!(a == b, "two exports of the bundled data differ");
}

#[test]
fn the_bundled_graph_fits_in_one_and_a_half_mebibytes() {
    let g = bundled();
    let html = to_html(&g, &Subgraph::whole(&g), &Scope::Whole).unwrap();
    let limit = 3 * 1024 * 1024 / 2;
    assert!(
        html.len() <= limit,
        "the map of the bundled data is {} bytes, over {limit}",
        html.len()
    );
    let d = embedded(&html);
    assert_eq!(d["nodes"].as_array().unwrap().len(), g.node_count());
    assert_eq!(d["claims"].as_array().unwrap().len(), g.rel_count());
}

#[test]
fn hostile_strings_stay_inside_the_data_and_come_back_intact() {
    let g = fixtures::hostile();
    let html = to_html(
        &g,
        &Subgraph::whole(&g),
        &Scope::Query("</script><b>".into()),
    )
    .unwrap();
    // Nothing from the data can close an element or open a comment.
    let open = "<script id=\"eje-data\" type=\"application/json\">";
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let data_text = &html[start..end];
    assert!(!data_text.contains('<') && !data_text.contains('>'));
    assert!(!data_text.contains('&'));
    assert_eq!(
        html.matches("</script>").count(),
        3,
        "one per script element"
    );
    assert!(!markup_only(&html).contains("<b>"), "the title is escaped");
    assert!(html.contains(
        "<title>eje evidence map: the answer to the query &lt;/script&gt;&lt;b&gt;</title>"
    ));
    // Every name comes back as written.
    let d = embedded(&html);
    let names: Vec<&str> = d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    for node in g.nodes() {
        let name = g.node(node).display_name();
        assert!(names.contains(&name), "{name:?} lost");
    }
    let notes: Vec<String> = d["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["note"].as_str().unwrap().to_string())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("<b>bold</b>")),
        "the hostile note is kept as text: {notes:?}"
    );
}

#[test]
fn name_keys_are_eje_s_own() {
    let g = bundled();
    let ix = g.by_id("beijing").unwrap();
    let d = map_data(&g, &Subgraph::ego(&g, ix, 0), &Scope::Whole);
    let keys: Vec<&str> = d["nodes"][0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(keys.contains(&"pekin"), "{keys:?}");
    assert!(keys.contains(&"北京"), "{keys:?}");
    assert_eq!(keys[0], eje::model::names::normalize("beijing"));
}

#[test]
fn a_contested_pair_is_one_bundle_of_both_claims() {
    let g = bundled();
    let ix = g.by_id("putin").unwrap();
    let d = map_data(&g, &Subgraph::ego(&g, ix, 1), &Scope::Whole);
    let nodes = d["nodes"].as_array().unwrap();
    let claims = d["claims"].as_array().unwrap();
    let id_of = |i: &Json| nodes[i.as_u64().unwrap() as usize]["id"].as_str().unwrap();
    let met: Vec<&Json> = d["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| {
            b["type"] == "met_with" && {
                let mut ends = [id_of(&b["from"]), id_of(&b["to"])];
                ends.sort();
                ends == ["choe_son_hui", "putin"]
            }
        })
        .collect();
    assert_eq!(met.len(), 1, "one bundle for both directions");
    let ids: Vec<&str> = met[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| claims[c.as_u64().unwrap() as usize]["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"c_putin_met_choe_20251026"), "{ids:?}");
    assert!(ids.contains(&"c_putin_met_choe_20251027"), "{ids:?}");
}

#[test]
fn claims_carry_the_days_they_cover() {
    let g = fixtures::alliance();
    let d = map_data(&g, &Subgraph::whole(&g), &Scope::Whole);
    let claim = |id: &str| {
        d["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no claim {id}"))
            .clone()
    };
    // 2024-06-19 is day 19893 since 1970-01-01.
    let signed = claim("c_putin_signed");
    assert_eq!(
        (signed["lo"].clone(), signed["hi"].clone()),
        (19893.into(), 19893.into())
    );
    assert_eq!(signed["dated"], true);
    // From December 2011, open-ended.
    let leads = claim("c_kim_leads");
    assert_eq!(leads["lo"], 15309);
    assert!(leads["hi"].is_null());
    assert_eq!(claim("c_moscow_in")["dated"], false);
}

#[test]
fn too_many_nodes_are_refused_with_help() {
    let mut g = Graph::new(None);
    for i in 0..=MAX_NODES {
        g.add_node(eje::model::Node {
            id: format!("n{i}"),
            labels: vec!["X".into()],
            props: eje::model::Props::new(),
        });
    }
    let err = to_html(&g, &Subgraph::whole(&g), &Scope::Whole)
        .unwrap_err()
        .to_string();
    assert!(err.contains(&format!("{}", MAX_NODES + 1)), "{err}");
    assert!(err.contains("help:") && err.contains("--focus"), "{err}");
}

/// Writes the hostile-strings fixture's map where `tests/browser/run.sh`
/// asks for it (`EJE_HTML_FIXTURES=DIR`), for the browser to open.
#[test]
fn hostile_fixture_map_for_the_browser() {
    let g = fixtures::hostile();
    let html = to_html(&g, &Subgraph::whole(&g), &Scope::Whole).unwrap();
    assert!(html.contains("eje-data"));
    if let Some(dir) = std::env::var_os("EJE_HTML_FIXTURES") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("hostile.html"), &html).unwrap();
        let json = eje::export::json::to_json_string(&g, &Subgraph::whole(&g));
        std::fs::write(dir.join("hostile.json"), json).unwrap();
    }
}

// ---------------------------------------------------------- the commands

fn eje() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_eje"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("EJE_DATA")
        .env("EJE_NO_CACHE", "1")
        .env("NO_COLOR", "1");
    c
}

fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

#[test]
fn eje_export_html_writes_a_focus_map_that_says_what_it_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kursk.html");
    eje()
        .args([
            "export", "--format", "html", "--focus", "kursk", "--depth", "1", "--data",
        ])
        .arg(data_dir())
        .arg("-o")
        .arg(&path)
        .assert()
        .success();
    let html = std::fs::read_to_string(&path).unwrap();
    let d = embedded(&html);
    assert_eq!(
        d["meta"]["scope"],
        "Kursk region and everything within 1 hop"
    );
    let g = bundled();
    let sub = Subgraph::ego(&g, g.by_id("kursk_oblast").unwrap(), 1);
    assert_eq!(d["nodes"].as_array().unwrap().len(), sub.node_count());
    assert_eq!(d["claims"].as_array().unwrap().len(), sub.rel_count());
    // The extension names the format too, and a query's answer is a scope.
    let q = "MATCH (a {id: 'putin'})-[r:met_with]-(b) RETURN a, r, b";
    let out = eje()
        .args(["export", "--format", "htm", "--query", q, "--data"])
        .arg(data_dir())
        .assert()
        .success();
    let html = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        embedded(&html)["meta"]["scope"],
        format!("the answer to the query {q}")
    );
}

#[test]
fn a_graph_too_large_to_draw_is_refused_with_help_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("big.cypher");
    std::fs::write(
        &script,
        format!("UNWIND range(0, {MAX_NODES}) AS i CREATE (:N {{id: i}})\n"),
    )
    .unwrap();
    let path = dir.path().join("big.html");
    eje()
        .args(["export", "--format", "html", "--graph-script"])
        .arg(&script)
        .arg("-o")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "the map would draw {} entities",
            MAX_NODES + 1
        )))
        .stderr(predicates::str::contains("help: draw a part of the graph"));
    assert!(!path.exists());
}
