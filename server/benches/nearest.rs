//! Nearest 5 stations with one accessibility filter, in process: on the
//! real 2026 data (when ../shared is present), and on 10,000 and 1,000,000
//! synthetic stations spread over the Netherlands. Then whole answers as
//! voters get them (home municipality looked up in the real boundaries,
//! the municipal elections' rule on), over query mixes that name the
//! worst cases, on 10,000 and 1,000,000 stations inside the real
//! municipalities. Run with
//! `LEPTOS_OUTPUT_NAME=kieskaart cargo bench -p kieskaart --bench nearest`;
//! results go in the README.

use app::model::{
    Coordinates, ElectionId, Feature, Filters, MunicipalityCode, NearestQuery, Needs, ResultCount, Station,
    StationKind,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kieskaart::geography::{boundaries, Boundaries, MunicipalityArea};
use kieskaart::index::ElectionIndex;
use kieskaart::synthetic::{self, Random};
use std::hint::black_box;
use std::path::Path;

fn index(stations: Vec<Station>) -> ElectionIndex {
    let election = app::model::Election::new(
        ElectionId::parse("gr2026").expect("valid"),
        "Bench",
        synthetic::polling_day(),
    );
    ElectionIndex::new(election, &[1], stations)
}

fn real_stations() -> Option<Vec<Station>> {
    let bytes = std::fs::read(shared("wims-gr2026-ckan.json")).ok()?;
    let received = kieskaart::ingest::read_ckan_file("real", &bytes).ok()?;
    Some(received.into_iter().map(|r| r.station).collect())
}

fn nearest(c: &mut Criterion) {
    let mut sets: Vec<(String, ElectionIndex)> = Vec::new();
    match real_stations() {
        Some(stations) => sets.push(("real-1799".into(), index(stations))),
        None => eprintln!("../shared/data absent: skipping the real data set"),
    }
    for n in [10_000, 1_000_000] {
        sets.push((format!("synthetic-{n}"), index(synthetic::stations(n, 42))));
    }
    // Points over the European Netherlands, where voters search.
    let mut random = Random::new(7);
    let points: Vec<_> = (0..4096)
        .map(|_| app::model::Coordinates::new(50.75 + 2.8 * random.unit(), 3.35 + 3.87 * random.unit()))
        .collect::<Result<_, _>>()
        .expect("valid points");
    let filters = Filters {
        needs: Needs::parse([Feature::Wheelchair.slug()]).expect("a feature"),
        ..Filters::default()
    };

    let mut group = c.benchmark_group("nearest-5-wheelchair");
    for (name, index) in &sets {
        let mut next = points.iter().cycle();
        group.bench_with_input(BenchmarkId::from_parameter(name), index, |b, index| {
            b.iter(|| {
                let origin = *next.next().expect("cycle never ends");
                black_box(index.nearest(origin, 5, |s| filters.admits(s, chrono_tz::Europe::Amsterdam)))
            })
        });
    }
    group.finish();
}

fn shared(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data").join(name)
}

fn real_areas() -> Option<Vec<MunicipalityArea>> {
    let text = std::fs::read_to_string(shared("municipalities-rd.geojson")).ok()?;
    boundaries::read_geojson("municipalities-rd.geojson", &text).ok()
}

/// A named mix of queries: where voters stand, and what they ask.
struct Mix {
    name: &'static str,
    /// Whether the home municipality is looked up (and so the rule applies).
    rule: bool,
    filters: Filters,
    /// Points only in the municipalities with the fewest stations.
    smallest: bool,
}

impl Mix {
    fn all() -> Vec<Mix> {
        let needs = |slug| Filters { needs: Needs::parse([slug]).expect("a feature"), ..Filters::default() };
        let mix = |name, rule, filters| Mix { name, rule, filters, smallest: false };
        // Two days before polling day, at noon in Amsterdam, only early stations are open.
        let early = synthetic::polling_day() - chrono::Days::new(2);
        let noon = early.and_hms_opt(11, 0, 0).expect("a valid time").and_utc();
        vec![
            mix("random", true, Filters::default()),
            Mix { smallest: true, ..mix("smallest-5-municipalities", true, Filters::default()) },
            mix("sign-language-on-site", false, needs("sign-language-on-site")),
            mix("sign-language-on-site+rule", true, needs("sign-language-on-site")),
            mix("braille-list", false, needs("braille-list")),
            mix("braille-list+rule", true, needs("braille-list")),
            mix("low-stimulus", false, needs("low-stimulus")),
            mix("low-stimulus+rule", true, needs("low-stimulus")),
            mix(
                "sign-language-on-site+mobile+rule",
                true,
                Filters { kinds: vec![StationKind::Mobile], ..needs("sign-language-on-site") },
            ),
            mix("open-at-early-noon+rule", true, Filters { open_at: Some(noon), ..Filters::default() }),
        ]
    }

    /// 4,096 points where voters stand: inside a municipality.
    fn points(
        &self,
        areas: &[MunicipalityArea],
        index: &ElectionIndex,
        random: &mut Random,
    ) -> Vec<Coordinates> {
        let mut counts: Vec<(usize, MunicipalityCode)> =
            index.municipalities().map(|(municipality, count)| (count, municipality.code)).collect();
        counts.sort();
        let smallest: Vec<&MunicipalityArea> = counts
            .iter()
            .take(5)
            .filter_map(|(_, code)| areas.iter().find(|area| area.municipality.code == *code))
            .collect();
        (0..4096)
            .map(|i| match self.smallest {
                true => random.point_in(smallest[i % smallest.len()]),
                false => {
                    let area = &areas[random.below(areas.len())];
                    random.point_in(area)
                }
            })
            .collect()
    }
}

fn answer(c: &mut Criterion) {
    let Some(areas) = real_areas() else {
        eprintln!("../shared/data absent: skipping answers over the real municipalities");
        return;
    };
    let boundaries = Boundaries::new(areas.clone());
    let mut random = Random::new(11);
    for n in [10_000, 1_000_000] {
        let index = index(synthetic::stations_in(&areas, n, 42));
        let mut group = c.benchmark_group(format!("answer-5-{n}"));
        for mix in Mix::all() {
            let queries: Vec<NearestQuery> = mix
                .points(&areas, &index, &mut random)
                .into_iter()
                .map(|origin| NearestQuery {
                    election: index.election.id.clone(),
                    origin,
                    k: ResultCount::default(),
                    filters: mix.filters.clone(),
                })
                .collect();
            let mut next = queries.iter().cycle();
            group.bench_function(BenchmarkId::from_parameter(mix.name), |b| {
                b.iter(|| {
                    let query = next.next().expect("cycle never ends");
                    let home = if mix.rule { boundaries.municipality_at(query.origin) } else { None };
                    black_box(index.answer(query, home))
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, nearest, answer);
criterion_main!(benches);
