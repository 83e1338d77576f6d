//! Messages that need the user's attention: storage that does not work (with
//! export one click away, since work then lives only in this tab) and
//! problems met while loading, each dismissable.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub storage_error: Option<String>,
    pub problems: Vec<String>,
    pub on_export_all: Callback<()>,
    pub on_dismiss: Callback<usize>,
}

#[component]
pub fn Notices(props: &NoticesProps) -> Html {
    let storage = props.storage_error.as_ref().map(|error| {
        let on_export_all = props.on_export_all.clone();
        html! {
            <div class="notice storage-error" role="alert">
                <p>
                    <strong>{ "Changes are not being saved in this browser: " }</strong>
                    { error.clone() }
                    { ". Your work is kept in this tab; export it before you close it." }
                </p>
                <button type="button" onclick={Callback::from(move |_| on_export_all.emit(()))}>
                    { "Export everything now" }
                </button>
            </div>
        }
    });
    let problems = props.problems.iter().enumerate().map(|(i, problem)| {
        let on_dismiss = props.on_dismiss.clone();
        html! {
            <div key={format!("{i}:{problem}")} class="notice problem" role="alert">
                <p>{ problem.clone() }</p>
                <button type="button" aria-label="Dismiss this message"
                    onclick={Callback::from(move |_| on_dismiss.emit(i))}>{ "Dismiss" }</button>
            </div>
        }
    });
    html! {
        <div class="notices">
            { for storage }
            { for problems }
        </div>
    }
}
