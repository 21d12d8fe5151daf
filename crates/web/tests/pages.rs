//! What the pages show, in process through the router as `inforce serve` runs it: what was in force and what
//! changed, the text with its anchors, contents, breadcrumbs and neighbours, wordings over time, consultations,
//! links that keep the date, feeds, and wordings re-saved with decomposed accents. The checks read what a person
//! sees (`visible`) and the addresses of links and forms, not the markup around them.

mod common;

use axum::http::{StatusCode, header};
use common::{
    CREANCE, Element, Folder, SEC_TIME, TestSite, by_id, changed_back_folder, elements, field, link, links,
    resaved_folder, sec_register, small_folder, visible,
};

/// The rows of a provision page's timeline: the table of the versions and events that touched it.
fn timeline(page: &str) -> Vec<Element> {
    let table = elements(page, "table")
        .into_iter()
        .find(|t| t.text().contains("Versions and events that touched"))
        .unwrap_or_else(|| panic!("no timeline: {page}"));
    // The heading row has no data cell.
    elements(&table.inner, "tr").into_iter().filter(|row| !elements(&row.inner, "td").is_empty()).collect()
}

/// The first element `tag` of `markup` whose class list holds `class`.
fn with_class(markup: &str, tag: &str, class: &str) -> Option<Element> {
    elements(markup, tag)
        .into_iter()
        .find(|e| e.attribute("class").is_some_and(|c| c.split_whitespace().any(|name| name == class)))
}

#[tokio::test]
async fn pages_answer_what_was_in_force_and_what_changed() {
    let site = TestSite::sec().await;
    let home = site.page("/").await;
    let lead = with_class(&home, "p", "lead").expect("the in-force line");
    assert!(
        lead.text().starts_with("In force today (1 February 2015): version 4.1,"),
        "today (1 February 2015) 4.1 is in force: {}",
        lead.text()
    );
    assert_eq!(link(&lead.inner, "version 4.1").as_deref(), Some("/versions/4.1"));
    let at = site.page("/at/2015-01-20").await;
    assert_eq!(link(&at, "4.0").as_deref(), Some("/versions/4.0"), "{at}");
    assert!(visible(&at).contains("A past date"), "a banner marks a past date");
    let rows = elements(&at, "tr");
    let h15_row = rows.iter().find(|r| links(&r.inner).iter().any(|(href, _)| href.starts_with("/provisions/H15?")));
    let h15_row = h15_row.expect("H15 row");
    assert!(h15_row.text().contains("inactive"), "{}", h15_row.text());
    let compare = visible(&site.page("/compare/4.0...4.1").await);
    assert!(compare.contains("H15 DCC Gateway Connections"), "{compare}");
    assert!(compare.contains("inactive → in force"), "{compare}");
    let version = site.page("/versions/4.1").await;
    assert!(
        links(&version).iter().any(|(href, _)| href == "/compare/4.0...4.1"),
        "a version links to its comparison with the one before"
    );
    // Each page with something only it shows.
    let versions = site.page("/versions").await;
    assert!(elements(&versions, "td").iter().any(|td| td.text() == "26 January 2015"), "4.1's date: {versions}");
    let h15 = site.page("/provisions/H15").await;
    assert!(elements(&h15, "strong").iter().any(|s| s.text() == "in force"), "{h15}");
    for (path, shows) in [
        ("/provisions/H15/blame", "No text of H15 is recorded at this date."),
        ("/consultations", "Stage 4 consultation on new SEC content"),
        ("/variations", "Secretary of State direction"),
    ] {
        let page = visible(&site.page(path).await);
        assert!(page.contains(shows), "{path} shows {shows:?}: {page}");
    }
    // A code's pages under /codes/{code} link under it.
    let listed = site.page("/codes/sec/versions").await;
    assert!(links(&listed).iter().any(|(href, _)| href == "/codes/sec/versions/4.1"), "{listed}");
    for path in ["/codes/sec/", "/codes/sec"] {
        let page = site.page(path).await;
        assert_eq!(link(&page, "version 4.1").as_deref(), Some("/codes/sec/versions/4.1"), "{path}");
    }
    let picker = site.get("/at?date=2015-03-20").await;
    assert_eq!(picker.status, StatusCode::SEE_OTHER);
    assert_eq!(picker.header(header::LOCATION), "/at/2015-03-20");
}

#[tokio::test]
async fn feeds_are_atom_documents() {
    let site = TestSite::sec().await;
    for path in [
        "/feeds/versions.atom",
        "/feeds/provisions/H15.atom",
        "/feeds/consultations.atom",
        "/feeds/proposals.atom",
        "/feeds/variations.atom",
    ] {
        let feed = site.get(path).await;
        assert_eq!(feed.status, StatusCode::OK, "{path}");
        assert_eq!(feed.header(header::CONTENT_TYPE), "application/atom+xml; charset=utf-8");
        let text = feed.text();
        let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "feed");
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
        for required in ["id", "title", "updated"] {
            assert!(root.children().any(|c| c.tag_name().name() == required), "{path} lacks <{required}>");
        }
        let entries: Vec<_> = root.children().filter(|c| c.tag_name().name() == "entry").collect();
        assert!(!entries.is_empty(), "{path} has entries");
        for entry in entries {
            for required in ["id", "title", "updated"] {
                assert!(
                    entry.children().any(|c| c.tag_name().name() == required),
                    "{path}: an entry lacks <{required}>"
                );
            }
        }
    }
    let versions = visible(&site.page("/feeds/versions.atom").await);
    assert!(versions.contains("version 4.2"), "the versions feed lists 4.2");
    // Issue 30, §6: on 1 February 2015, 4.2 (18 March 2015) is planned: said so, and not dated ahead.
    let versions_xml = site.page("/feeds/versions.atom").await;
    let document = roxmltree::Document::parse(&versions_xml).expect("Atom");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text()).unwrap_or("").to_string()
    };
    let entries: Vec<_> = document.root_element().children().filter(|e| e.tag_name().name() == "entry").collect();
    let planned = entries.iter().find(|e| child(**e, "title").contains("version 4.2")).expect("4.2");
    assert!(child(*planned, "title").starts_with("Planned: "), "{}", child(*planned, "title"));
    // Every entry is dated when it was recorded, in the code's time zone (London: GMT in November).
    let recorded: jiff::Timestamp = SEC_TIME.parse().expect("time");
    for entry in &entries {
        let updated: jiff::Timestamp = child(*entry, "updated").parse().expect("an RFC 3339 time");
        assert!(updated <= recorded, "no entry dated ahead: {}", child(*entry, "title"));
    }
    let given = entries.iter().find(|e| child(**e, "title").contains("version 4.1")).expect("4.1");
    assert_eq!(
        (child(*given, "updated").as_str(), child(*given, "title").starts_with("Planned")),
        ("2026-11-01T09:00:00+00:00", false)
    );
    // A proposal's stages are left out of the feed until their day: in 2015 none of MP084's had come.
    let early = site.page("/feeds/proposals.atom").await;
    assert!(!early.contains("MP084"), "{early}");
    // Each stage change is an entry, dated by the change.
    let site = TestSite::sec().await.today("2026-11-28");
    let proposals = site.page("/feeds/proposals.atom").await;
    let document = roxmltree::Document::parse(&proposals).expect("Atom");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text()).unwrap_or("").to_string()
    };
    let rejected = document
        .root_element()
        .children()
        .find(|e| e.tag_name().name() == "entry" && child(*e, "title") == "MP084: Rejected (27 May 2020)")
        .unwrap_or_else(|| panic!("an entry for MP084's rejection: {proposals}"));
    assert_eq!(child(rejected, "updated"), "2026-11-01T09:00:00+00:00", "when the register recorded it");
    let variations = visible(&site.page("/feeds/variations.atom").await);
    assert!(variations.contains("H14.31 activated"), "{variations}");
}

#[tokio::test]
async fn a_wording_re_saved_with_decomposed_accents_is_unchanged_on_pages_and_through_the_api() {
    let site = TestSite::sec().await.with_folder("small", &resaved_folder()).await;
    for query in ["", "?ignore_formatting=true"] {
        let api = site.get(&format!("/api/v1/small/compare/v1...v2{query}")).await.json();
        let ids: Vec<&str> =
            api["provisions"].as_array().expect("list").iter().filter_map(|p| p["id"].as_str()).collect();
        assert_eq!(ids, ["2"], "{query}");
        let page = site.page(&format!("/codes/small/compare/v1...v2{query}")).await;
        assert!(by_id(&page, "p-2").is_some(), "article 2 is among the changes: {page}");
        assert!(by_id(&page, "p-1").is_none(), "article 1 is not among the changes: {page}");
    }
    // The query, in either form and any case, finds the word, and the page shows it composed.
    for query in ["cr%C3%A9ance", "cre%CC%81ance", "CR%C3%89ANCE", "CRE%CC%81ANCE"] {
        let api = site.get(&format!("/api/v1/small/search?q={query}&version=v2")).await.json();
        assert_eq!(api["total"], 1, "{query}: {api}");
        let page = site.page(&format!("/codes/small/search?q={query}&version=v2")).await;
        assert!(elements(&page, "mark").iter().any(|m| m.text() == "créance"), "{query}: {page}");
    }
    let provision = site.get("/api/v1/small/provisions/1?version=v2").await.json();
    assert_eq!(provision["text"]["text"], CREANCE, "kept composed: {provision}");
}

#[tokio::test]
async fn provision_pages_render_the_text_with_anchors_and_one_timeline_row_per_entry() {
    let rendered = Folder::new()
        .version(
            "v1",
            "2016-01-01",
            &[(
                "1",
                "# Article 1\n\nA lead-in:\n\n(a) first;\n\n(b) second, with:\n\n(i) a sub-point.\n\n| Body | Decides \
                 |\n| --- | --- |\n| the Panel<br>or a committee | yes |\n\n<script>alert(1)</script>\n\nAnd [a \
                 trap](javascript:alert(2)).\n",
            )],
        )
        .version("v2", "2017-01-01", &[("1", "# Article 1\n\nA lead-in, amended:\n\n(a) first;\n\n(b) second.\n")]);
    let site = TestSite::sec().await.with_folder("rendered", &rendered).await;
    let body = site.page("/codes/rendered/provisions/1?at=2016-06-01").await;
    // The heading once: "Article 1" only repeats the id.
    assert_eq!(elements(&body, "h1").iter().map(Element::text).collect::<Vec<_>>(), ["1"], "{body}");
    assert!(!visible(&body).contains("# Article 1"), "the Markdown heading is not shown raw");
    // Each point of a list is an anchor.
    for (id, text) in [("1-a", "(a) first;"), ("1-b", "(b) second, with:"), ("1-b-i", "(i) a sub-point.")] {
        assert_eq!(by_id(&body, id).map(|p| p.text()).as_deref(), Some(text), "#{id} in {body}");
    }
    // A table keeps its cells, and a line break within one.
    assert!(elements(&body, "td").iter().any(|td| td.inner == "the Panel<br>or a committee"), "{body}");
    // Markup in a text is shown as written, never run; an unsafe link keeps its words, not its address.
    assert!(visible(&body).contains("<script>alert(1)</script>"), "{body}");
    assert!(!body.contains("<script>alert") && !body.contains("href=\"javascript"), "{body}");
    assert!(elements(&body, "p").iter().any(|p| p.inner == "And a trap."), "{body}");
    // One row per entry: v2's amendment said once, with the words it changed.
    let rows: Vec<String> = timeline(&body).iter().map(Element::text).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].contains("version v2") && rows[1].contains("amended: "), "{}", rows[1]);
    assert!(!rows[1].contains("wording amended"), "{}", rows[1]);
    // An entry that implemented a proposal names it.
    let g = site.page("/provisions/G").await;
    let rows = timeline(&g);
    let row = rows.iter().find(|r| links(&r.inner).iter().any(|(href, _)| href == "/versions/5.5")).expect("5.5 row");
    assert!(row.text().contains("implementing SECMP0026"), "{}", row.text());
    assert_eq!(link(&row.inner, "SECMP0026").as_deref(), Some("/proposals/SECMP0026"));
}

#[tokio::test]
async fn contents_sections_breadcrumbs_and_neighbours_let_a_reader_move_through_the_code() {
    let nav = Folder::new()
        .version("v1", "2016-01-01", &[("1", "# Article 1\n\nOne.\n"), ("2", "# Article 2\n\nTwo, soon gone.\n")])
        .version("v2", "2017-01-01", &[("1", "# Article 1\n\nOne, amended.\n")]);
    let site = TestSite::sec().await.with_folder("nav", &nav).await;
    // The contents at a date: every provision with its status, collapsible by top-level provision.
    let contents = site.page("/contents?at=2015-02-01").await;
    let section_h = elements(&contents, "details")
        .into_iter()
        .find(|d| elements(&d.inner, "summary").first().is_some_and(|s| s.text().starts_with("H DCC Services")))
        .unwrap_or_else(|| panic!("a box for Section H: {contents}"));
    assert!(section_h.has("open"), "{section_h:?}");
    let whole = elements(&section_h.inner, "li").into_iter().find(|li| li.text() == "H as a whole");
    let whole = whole.unwrap_or_else(|| panic!("H as a whole: {section_h:?}"));
    assert_eq!(link(&whole.inner, "H").as_deref(), Some("/provisions/H?at=2015-01-26"));
    // Each link names the day that stands for the provision's stretch: H15 read the same from 4.1 (26 January
    // 2015) on, so its page on 1 February is its page on 26 January.
    assert_eq!(link(&contents, "H15").as_deref(), Some("/provisions/H15?at=2015-01-26"), "{contents}");
    let api = site.get("/api/v1/sec/contents?at=2015-02-01").await.json();
    assert_eq!(api["date"], "2015-02-01", "{api}");
    assert!(api["provisions"].as_array().expect("provisions").iter().any(|p| p["id"] == "H15"));
    // A Section page reads the Section whole: its parts in order with their statuses.
    let section = site.page("/provisions/H?at=2015-02-01").await;
    assert!(elements(&section, "h2").iter().any(|h| h.text() == "Parts"), "{section}");
    let words = visible(&section);
    assert!(words.contains("This page reads the same for every day from 26 January 2015 to"), "{words}");
    let parts: Vec<String> = links(&section).into_iter().map(|(href, _)| href).collect();
    let h1 = parts.iter().position(|href| href.starts_with("/provisions/H1?at=")).expect("H1 among the parts");
    let h15 = parts.iter().position(|href| href.starts_with("/provisions/H15?at=")).expect("H15 among the parts");
    assert!(h1 < h15, "reading order");
    // Breadcrumbs, and previous and next in reading order, at the same date.
    let h15_page = site.page("/provisions/H15?at=2015-02-01").await;
    let crumbs = elements(&h15_page, "nav")
        .into_iter()
        .find(|n| n.attribute("aria-label").as_deref() == Some("Breadcrumb"))
        .expect("breadcrumbs");
    let crumb_links: Vec<String> = links(&crumbs.inner).into_iter().map(|(href, _)| href).collect();
    assert_eq!(crumb_links, ["/contents?at=2015-02-01", "/provisions/H?at=2015-01-26"], "{crumbs:?}");
    let here =
        elements(&crumbs.inner, "li").into_iter().find(|li| li.attribute("aria-current").as_deref() == Some("page"));
    assert_eq!(here.map(|li| li.text()).as_deref(), Some("H15"), "{crumbs:?}");
    let neighbour = |rel: &str| {
        elements(&h15_page, "a")
            .into_iter()
            .find(|a| a.attribute("rel").as_deref() == Some(rel))
            .and_then(|a| a.attribute("href"))
    };
    assert_eq!(neighbour("prev").as_deref(), Some("/provisions/H14.31?at=2015-01-26"), "{h15_page}");
    assert!(neighbour("next").is_some_and(|href| href.starts_with("/provisions/I?at=")), "{h15_page}");
    // A removed provision keeps its last wording one link away.
    let gone = site.page("/codes/nav/provisions/2?version=v2").await;
    assert!(visible(&gone).contains("Its last wording, given by version v1"), "{gone}");
    // Its page on the first day of the stretch its last wording stood.
    assert_eq!(
        link(&gone, "as it stood on 1 January 2016").as_deref(),
        Some("/codes/nav/provisions/2?at=2016-01-01"),
        "{gone}"
    );
    let before = visible(&site.page("/codes/nav/provisions/2?at=2016-01-01").await);
    assert!(before.contains("Two, soon gone."), "{before}");
}

#[tokio::test]
async fn a_provision_shows_its_wordings_over_time_banners_and_a_compare_form() {
    let timed = Folder::new()
        .version("v1", "2016-01-01", &[("1", "# Article 1\n\nFirst wording.\n")])
        .version("v2", "2017-01-01", &[("1", "# Article 1\n\nSecond wording.\n")])
        .version("v3", "2018-01-01", &[("1", "# Article 1\n\nSecond wording.\n"), ("2", "# Article 2\n\nNew.\n")]);
    let site = TestSite::sec().await.with_folder("timed", &timed).await;
    let page = site.page("/codes/timed/provisions/1?at=2016-06-01").await;
    // Every wording with its period, each a link to the provision on its first day; the one shown is marked.
    assert!(elements(&page, "h2").iter().any(|h| h.text() == "Changes over time"), "{page}");
    let wordings = with_class(&page, "ol", "wordings").expect("the wordings");
    let periods = links(&wordings.inner);
    assert_eq!(
        periods,
        [
            (
                "/codes/timed/provisions/1?at=2016-01-01".to_string(),
                "From 1 January 2016 to 31 December 2016".to_string()
            ),
            ("/codes/timed/provisions/1?at=2017-01-01".to_string(), "From 1 January 2017 on".to_string()),
        ],
        "{page}"
    );
    let shown: Vec<bool> =
        elements(&wordings.inner, "li").iter().map(|li| li.text().ends_with("(shown above)")).collect();
    assert_eq!(shown, [true, false], "{page}");
    // Not today's text: said, with a link to today's.
    assert!(visible(&page).contains("not as it stands today. See it today"), "{page}");
    assert_eq!(link(&page, "See it today").as_deref(), Some("/codes/timed/provisions/1"));
    // The compare form is a GET form that needs no script, redirected to the comparison's address.
    let form = elements(&page, "form")
        .into_iter()
        .find(|f| f.attribute("action").as_deref() == Some("/codes/timed/compare"))
        .unwrap_or_else(|| panic!("a compare form: {page}"));
    assert_eq!(form.attribute("method").as_deref(), Some("get"));
    let redirect = site.get("/codes/timed/compare?a=v1&b=2018-01-01&provision=1").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(redirect.header(header::LOCATION), "/codes/timed/compare/v1...2018-01-01?provision=1");
    let compared = site.page("/codes/timed/compare/v1...2018-01-01?provision=1").await;
    let value = |name: &str| field(&compared, name).and_then(|f| f.attribute("value"));
    assert_eq!(value("a").as_deref(), Some("v1"), "the compare page keeps its form: {compared}");
    assert_eq!(value("provision").as_deref(), Some("1"), "{compared}");
    let missing = site.get("/codes/timed/compare?a=v1").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(visible(&missing.text()).contains("Give the second point to compare"), "{}", missing.text());
    // Inactive under Section X: said first, with what switched it off.
    let h15 = site.page("/provisions/H15?at=2015-01-20").await;
    let warning = with_class(&h15, "p", "warning").expect("the inactive banner");
    assert!(warning.text().starts_with("Inactive. "), "{}", warning.text());
    assert!(warning.text().contains("switched off"), "{}", warning.text());
}

#[tokio::test]
async fn each_consultation_has_a_page_and_versions_name_what_they_implemented() {
    let site = TestSite::sec().await;
    let list = site.page("/consultations").await;
    assert!(links(&list).iter().any(|(href, _)| href == "/consultations/SEC2"), "{list}");
    let page = site.page("/consultations/SEC2").await;
    let title: Vec<String> = elements(&page, "h1").iter().map(Element::text).collect();
    assert_eq!(title, ["Stage 2 consultation on new SEC content"], "{page}");
    let lower = site.get("/consultations/sec2").await;
    assert_eq!(lower.status, StatusCode::OK, "ids are matched in any case, as on the command line");
    // Its API twin answers about the same consultation (and as the command line: crates/cli/tests/serve.rs).
    let api = site.get("/api/v1/sec/consultations/SEC2").await.json();
    assert_eq!(api["consultation"]["title"], title[0], "{api}");
    assert_eq!(site.get("/consultations/NOPE").await.status, StatusCode::NOT_FOUND);
    let version = site.page("/versions/5.5").await;
    assert!(elements(&version, "h2").iter().any(|h| h.text() == "Modification proposals it implemented"), "{version}");
    assert_eq!(link(&version, "SECMP0026").as_deref(), Some("/proposals/SECMP0026"), "{version}");
}

/// Issue 30 §7 on the web: the compare page and its API twin count what differs between the two points, and what
/// changed and changed back in between apart, as `inforce diff` does.
#[tokio::test]
async fn the_compare_page_counts_what_differs_and_apart_what_changed_back() {
    let site = TestSite::sec().await.with_folder("small", &changed_back_folder()).await;
    let page = visible(&site.page("/codes/small/compare/v1...v3").await);
    assert!(
        page.contains(
            "0 added, 0 removed, 0 changed, 0 with only a new status; 1 with a new status in all; 3 changed in between and back."
        ),
        "{page}"
    );
    assert!(page.contains("added, removed in between, the same at both points (the wording was compared)"), "{page}");
    assert!(page.contains("3 changed back"), "the contents name the sort in words: {page}");
    let api = site.get("/api/v1/small/compare/v1...v3").await.json();
    assert_eq!(
        (&api["summary"]["changed"], &api["summary"]["in_between"]),
        (&serde_json::json!(0), &serde_json::json!(3))
    );
    let changes: Vec<&str> =
        api["provisions"].as_array().expect("provisions").iter().filter_map(|p| p["change"].as_str()).collect();
    assert_eq!(changes, ["in_between"; 3]);
}

/// Issue 30 §8 on the web: the blame page and its API twin credit a rewritten paragraph whole to the version
/// that rewrote it, as `inforce blame` does (the few words it shares with the old one by chance are not kept).
#[tokio::test]
async fn blame_pages_do_not_invent_continuity() {
    let old =
        "# Article 7\n\nLe gardien de la chose répond du dommage que cause la chose à la personne qui la détient.\n";
    let new = "# Article 7\n\nChacun répond de la faute qu'il commet, et du dommage qu'il cause à autrui par sa négligence.\n";
    let folder = Folder::new().version("v1", "2016-01-01", &[("7", old)]).version("v2", "2017-01-01", &[("7", new)]);
    let site = TestSite::sec().await.with_folder("small", &folder).await;
    let api = site.get("/api/v1/small/provisions/7/blame?version=v2").await.json();
    let body: Vec<(&str, &str)> = api["paragraphs"][1]
        .as_array()
        .unwrap_or_else(|| panic!("runs: {api}"))
        .iter()
        .filter_map(|r| Some((r["text"].as_str()?, r["entry"]["id"].as_str()?)))
        .collect();
    assert_eq!(body, [(&new[13..new.len() - 1], "v2")], "{api}");
    let page = site.page("/codes/small/provisions/7/blame?version=v2").await;
    let runs: Vec<String> = elements(&page, "sup").iter().map(Element::text).collect();
    assert_eq!(runs, ["v1", "v2"], "the heading kept as it was, the paragraph rewritten: {page}");
    assert!(visible(&page).contains("are not counted as kept"), "the page says its rule: {page}");
}

/// What a new reader tried and found wrong: each link keeps the point a reader asked for, each page says what
/// changed where it can, and a code without divisions reads as a list.
#[tokio::test]
async fn links_keep_the_date_and_pages_say_what_changed() {
    let site = TestSite::sec().await.with_folder("small", &small_folder()).await;
    // A search at a past date links each result at that date (its stretch), not today's page.
    let search = site.page("/codes/small/search?q=paiement&at=2016-06-01").await;
    assert_eq!(link(&search, "1").as_deref(), Some("/codes/small/provisions/1?at=2016-01-01"), "{search}");
    assert!(visible(&search).contains("1 January 2016"), "dates in words: {search}");
    let every = site.page("/codes/small/search?q=paiement&all_versions=1").await;
    assert_eq!(link(&every, "1").as_deref(), Some("/codes/small/provisions/1?at=2017-01-01"), "the latest wording's");
    // A comparison counts every new status, and says "still" for a status that stayed.
    let compare = visible(&site.page("/compare/4.0...4.1").await);
    assert!(compare.contains("0 with only a new status; 2 with a new status in all"), "{compare}");
    assert!(compare.contains("still in force"), "{compare}");
    assert!(compare.contains("status inactive → in force"), "{compare}");
    // Each change in a provision's timeline links the comparison that shows it; the compare form starts from the
    // version before the wording shown, so it shows the last change.
    let provision = site.page("/codes/small/provisions/1?at=2017-06-01").await;
    assert_eq!(link(&provision, "see the change").as_deref(), Some("/codes/small/compare/v1...v2?provision=1"));
    assert_eq!(field(&provision, "a").and_then(|a| a.attribute("value")).as_deref(), Some("v1"), "{provision}");
    assert!(visible(&provision).contains("(a version, such as v1, or a date)"), "{provision}");
    // An old page of a provision taken out of the text later says so, and by what (today after v2 took 2 out).
    let later = site.second_site().today("2026-11-28");
    let before = visible(&later.page("/codes/small/provisions/2?at=2016-06-01").await);
    assert!(
        before.contains(
            "not as it stands today. It was taken out of the text by version v2 (unknown instrument, 1 January 2017)."
        ),
        "{before}"
    );
    let kept = visible(&later.page("/codes/small/provisions/1?at=2016-06-01").await);
    assert!(kept.contains("not as it stands today.") && !kept.contains("taken out"), "{kept}");
    // Ignoring formatting is offered by the compare forms and kept by the redirect; an address may say 1 or true.
    let form = site.get("/codes/small/compare?a=v1&b=v2&provision=1&ignore_formatting=true").await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert_eq!(form.header(header::LOCATION), "/codes/small/compare/v1...v2?provision=1&ignore_formatting=true");
    let ignoring = site.page("/codes/small/compare/v1...v2?ignore_formatting=1").await;
    let checkbox = field(&ignoring, "ignore_formatting").expect("the checkbox");
    assert!(checkbox.attribute("value").as_deref() == Some("true") && checkbox.has("checked"), "{checkbox:?}");
    let bad = site.get("/api/v1/small/compare/v1...v2?ignore_formatting=maybe").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["detail"].as_str().is_some_and(|d| d.contains("'maybe' is not a valid ignore_formatting")));
    // A code without divisions: its contents are a list, not a box per provision; every page links the contents.
    let contents = site.page("/codes/small/contents?at=2017-06-01").await;
    let first = with_class(&contents, "p", "single").expect("a single entry");
    assert_eq!(links(&first.inner), [("/codes/small/provisions/1?at=2017-01-01".to_string(), "1".to_string())]);
    assert!(elements(&contents, "details").is_empty(), "{contents}");
    assert_eq!(link(&contents, "Contents").as_deref(), Some("/codes/small/contents"), "{contents}");
}

/// Issue 30, §6: a feed entry is dated when the register recorded it or last corrected it, so a correction, or a
/// record of something that happened long ago, reaches feed readers; and a provision's feed carries the stage
/// changes of the proposals that would change it.
#[tokio::test]
async fn feed_entries_are_dated_by_their_record_and_correction_times() {
    let mut corrected = sec_register();
    let entry = corrected.entries.iter_mut().find(|e| e.id.as_str() == "4.1").expect("4.1");
    entry.summary = "A corrected summary.".into();
    let site = TestSite::sec().await.with_register(&corrected, "2026-11-20T10:30:00Z").await.today("2026-11-28");
    let xml = site.page("/feeds/versions.atom").await;
    let document = roxmltree::Document::parse(&xml).expect("Atom");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text()).unwrap_or("").to_string()
    };
    let entries: Vec<_> = document.root_element().children().filter(|e| e.tag_name().name() == "entry").collect();
    let v41 = entries.iter().find(|e| child(**e, "title").contains("version 4.1")).expect("4.1");
    assert_eq!(child(*v41, "updated"), "2026-11-20T10:30:00+00:00", "its correction");
    assert_eq!(child(*v41, "published"), "2026-11-01T09:00:00+00:00", "its first recording");
    assert_eq!(child(entries[0], "title"), child(*v41, "title"), "the corrected entry comes first");
    let v40 = entries.iter().find(|e| child(**e, "title").contains("version 4.0")).expect("4.0");
    assert_eq!(child(*v40, "updated"), "2026-11-01T09:00:00+00:00");
    assert_eq!(child(*v40, "published"), "", "never corrected: no separate published time");
    // MP084 would have changed Section C: its stages are in the feeds of C and of C's parts.
    for feed in ["/feeds/provisions/C.atom", "/feeds/provisions/C1.atom"] {
        let xml = site.page(feed).await;
        assert!(xml.contains("MP084: Rejected (27 May 2020)"), "{feed}: {xml}");
    }
    assert!(!site.page("/feeds/provisions/B1.atom").await.contains("MP084"));
}

/// Issue 30, §1: the built-in record of SEC versions ends with 62.0 in 2022 and has gaps. No page asserts what
/// the register does not know: the home page names the latest version recorded and where the record ends; pages
/// about a day past the end or inside a gap say once that a version not recorded here may have changed them;
/// the version list marks the latest recorded and shows each gap; a comparison across a gap says so.
#[tokio::test]
async fn pages_say_where_the_record_of_versions_ends_and_where_it_has_gaps() {
    let site = TestSite::sec().await.today("2026-11-28");
    let home = visible(&site.page("/").await);
    assert!(
        home.contains(
            "The latest version recorded here is 62.0 (in force from 18 July 2022); this register's record of \
             versions ends on 18 July 2022"
        ),
        "{home}"
    );
    assert!(!home.contains("In force today (28 November 2026): version"), "{home}");
    let today = visible(&site.page("/at/2026-11-28").await);
    assert!(today.contains("Version in force: 62.0, or a later version not recorded here"), "{today}");
    assert_eq!(today.matches("a version not recorded here may have changed them").count(), 1, "one banner");
    let gap = visible(&site.page("/at/2016-06-01").await);
    assert!(gap.contains("4.2, or a later version not recorded here"), "{gap}");
    assert!(gap.contains("Versions between 4.2 (18 March 2015) and 5.4 (9 February 2017) are missing"), "{gap}");
    for page in ["/contents?at=2016-06-01", "/provisions/H15?at=2016-06-01"] {
        let text = visible(&site.page(page).await);
        assert_eq!(text.matches("a version not recorded here may have changed them").count(), 1, "{page}: {text}");
    }
    // At a version, the answer is that version's: no banner.
    let at_version = visible(&site.page("/provisions/H15?version=4.2").await);
    assert!(!at_version.contains("not recorded here may"), "{at_version}");
    let versions = visible(&site.page("/versions").await);
    assert!(versions.contains("62.0 latest recorded"), "{versions}");
    assert!(
        versions.contains("Versions between 5.5 (15 March 2017) and 5.10 (14 September 2017) are missing"),
        "{versions}"
    );
    let compare = visible(&site.page("/compare/4.2...5.4").await);
    assert!(
        compare.contains("It spans a gap in the register's record (versions are missing between 4.2 and 5.4)"),
        "{compare}"
    );
    // Seen from 1 February 2015, inside the record: the version in force is asserted, without a banner.
    let early = TestSite::sec().await;
    let home = visible(&early.page("/").await);
    assert!(home.contains("In force today"), "{home}");
    assert!(!visible(&early.page("/at/2015-02-01").await).contains("not recorded here"));
}

/// A static copy's file names do not move when an unrelated proposal is recorded: a provision's stretch ends on a
/// proposal's stage only when the proposal names a provision of its tree.
#[tokio::test]
async fn a_provision_s_stretch_moves_only_for_a_proposal_naming_its_tree() {
    let h15 = |markup: &str| {
        links(markup)
            .into_iter()
            .map(|(href, _)| href)
            .find(|href| href.starts_with("/provisions/H15?at="))
            .unwrap_or_else(|| panic!("no link to H15: {markup}"))
    };
    let with_proposal = |affects: &str| {
        let mut register = sec_register();
        let mut proposal = register.proposals[0].clone();
        proposal.reference = "MP900".into();
        proposal.affects = vec![inforce_core::ProvisionId::parse(affects).expect("id")];
        proposal.stages.truncate(1);
        proposal.stages[0].date = inforce_core::FuzzyDate::parse("2015-01-28").expect("date");
        proposal.raised = proposal.stages[0].date;
        register.proposals.push(proposal);
        register
    };
    let before = h15(&TestSite::sec().await.page("/at/2015-02-01").await);
    assert_eq!(before, "/provisions/H15?at=2015-01-26", "the stretch from 4.1");
    let elsewhere = TestSite::empty("sec").await.with_register(&with_proposal("C"), SEC_TIME).await;
    assert_eq!(h15(&elsewhere.page("/at/2015-02-01").await), before, "a proposal naming Section C");
    let here = TestSite::empty("sec").await.with_register(&with_proposal("H"), SEC_TIME).await;
    assert_eq!(h15(&here.page("/at/2015-02-01").await), "/provisions/H15?at=2015-01-28", "one naming Section H");
}
