//! `/s/{election}/{station}/melden` (and the same under `/embed`): the
//! form on which a voter reports a problem with a station, and the
//! confirmation after it. Plain HTML, posted without JavaScript; the
//! server stores what is posted (`server/src/http/report.rs`) and shows this page
//! again, with the voter's words and what to fix, when it cannot.

use crate::directory::Directory;
use crate::i18n::use_texts;
use crate::model::{Election, ElectionId, Station};
use crate::pages::NotFound;
use crate::report::{
    field, form_path, id, linked_here, textarea_text, Category, Problem, Refusal, ReportTexts,
    MAX_EMAIL_CHARS, MAX_TEXT_CHARS,
};
use http::StatusCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The station the page's path names, if it is published.
fn named_station() -> Option<(Election, Station)> {
    let params = use_params_map();
    let params = params.read_untracked();
    let election = ElectionId::parse(&params.get("election")?).ok()?;
    expect_context::<Directory>().station(&election, &params.get("station")?)
}

/// Sets the response's status (the page is rendered on the server only).
fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// The form, empty, or as the server refused it (a [`Refusal`] in context).
#[component]
pub fn ReportPage() -> impl IntoView {
    let Some((election, station)) = named_station() else { return view! { <NotFound/> }.into_any() };
    let texts = use_texts();
    let report = &texts.report;
    let refusal = use_context::<Refusal>();
    set_status(match &refusal {
        None => StatusCode::OK,
        Some(Refusal::Invalid { .. }) => StatusCode::UNPROCESSABLE_ENTITY,
        Some(Refusal::TooMany { .. }) => StatusCode::TOO_MANY_REQUESTS,
        Some(Refusal::Unavailable { .. }) => StatusCode::SERVICE_UNAVAILABLE,
    });
    let form = refusal.as_ref().map(|refusal| refusal.form().clone()).unwrap_or_default();
    let problems = refusal.as_ref().map(|refusal| refusal.problems().to_vec()).unwrap_or_default();
    let problem_of = |id: &str| problems.iter().copied().find(|problem| problem.field() == id);
    let station_page = station.page(election.id.as_str());
    let notice = match &refusal {
        Some(Refusal::TooMany { .. }) => Some(report.too_many),
        Some(Refusal::Unavailable { .. }) => Some(report.unavailable),
        _ => None,
    }
    .map(|text| view! { <p class="notice" role="alert">{text}</p> });
    let summary = problem_summary(report, &problems);
    // Each field's own error, next to it and named in its description.
    let error = |problem: Option<Problem>, id: &str| {
        problem.map(|problem| {
            view! { <p id=format!("{id}-error") class="field-error">{(report.problem)(problem)}</p> }
        })
    };
    let described = |id: &str, hint: bool| {
        let mut ids: Vec<String> = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if problem_of(id).is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let (category_problem, text_problem, email_problem) =
        (problem_of(id::CATEGORY), problem_of(id::TEXT), problem_of(id::EMAIL));
    view! {
        <Title text=texts.page_title(&(report.title)(&station.name))/>
        <h1>{(report.title)(&station.name)}</h1>
        <p>{(report.intro)(&station.municipality_name)}</p>
        {notice}
        {summary}
        <form method="post" action=linked_here(&form_path(&station_page)) class="report-form">
            <fieldset id=id::CATEGORY aria-describedby=described(id::CATEGORY, false)>
                <legend>{report.category_legend}</legend>
                {error(category_problem, id::CATEGORY)}
                {category_choices(report, Category::parse(form.wat.trim()))}
            </fieldset>
            <label for=id::TEXT>{report.text_label}</label>
            <p id="report-text-hint" class="hint">{(report.text_hint)(MAX_TEXT_CHARS)}</p>
            {error(text_problem, id::TEXT)}
            <textarea
                id=id::TEXT
                name=field::TEXT
                rows="6"
                maxlength=MAX_TEXT_CHARS
                aria-describedby=described(id::TEXT, true)
                aria-invalid=text_problem.map(|_| "true")
            >
                {textarea_text(&form.tekst)}
            </textarea>
            <label for=id::EMAIL>{report.email_label}</label>
            <p id="report-email-hint" class="hint">{report.email_hint}</p>
            {error(email_problem, id::EMAIL)}
            <input
                type="email"
                id=id::EMAIL
                name=field::EMAIL
                autocomplete="email"
                maxlength=MAX_EMAIL_CHARS
                value=form.email.clone()
                aria-describedby=described(id::EMAIL, true)
                aria-invalid=email_problem.map(|_| "true")
            />
            // The honeypot: off-screen and out of the tab order; a person
            // never fills it, a robot filling every field does.
            <div class="report-trap" aria-hidden="true">
                <label for="report-website">{report.honeypot_label}</label>
                <input id="report-website" name=field::HONEYPOT tabindex="-1" autocomplete="off"/>
            </div>
            <button type="submit">{report.send}</button>
        </form>
        <p><a href=linked_here(&station_page)>{report.back_to_station}</a></p>
    }
    .into_any()
}

/// What must change before the form can be sent, each linking to its
/// field; nothing when the form is new.
fn problem_summary(report: &ReportTexts, problems: &[Problem]) -> Option<impl IntoView> {
    (!problems.is_empty()).then(|| {
        let items = problems
            .iter()
            .map(|problem| {
                view! { <li><a href=format!("#{}", problem.field())>{(report.problem)(*problem)}</a></li> }
            })
            .collect_view();
        view! {
            <div class="report-problems" role="alert">
                <p>{report.not_sent}</p>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// One radio button per category, `chosen` checked.
fn category_choices(report: &ReportTexts, chosen: Option<Category>) -> impl IntoView {
    Category::ALL
        .into_iter()
        .map(|category| {
            let id = format!("{}-{}", id::CATEGORY, category.code());
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name=field::CATEGORY
                        value=category.code()
                        checked=chosen == Some(category)
                    />
                    <label for=id>{(report.category)(category)}</label>
                </div>
            }
        })
        .collect_view()
}

/// `…/melden/verzonden`: what a voter sees after sending (and what a
/// robot that filled the honeypot sees too).
#[component]
pub fn ReportSentPage() -> impl IntoView {
    let Some((election, station)) = named_station() else { return view! { <NotFound/> }.into_any() };
    let texts = use_texts();
    let report = &texts.report;
    let station_page = station.page(election.id.as_str());
    view! {
        <Title text=texts.page_title(report.sent_title)/>
        <h1>{report.sent_title}</h1>
        <p role="status">{(report.sent_body)(&station.municipality_name)}</p>
        <p><a href=linked_here(&station_page)>{report.back_to_station}</a></p>
    }
    .into_any()
}
