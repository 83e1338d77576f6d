//! Files refused as not UTF-8, each with the choice to read it as
//! Windows-1252 (what "Latin-1" files usually are) or to leave it.

use yew::prelude::*;

use super::intake::EncodingQuestion;

#[derive(Properties, PartialEq)]
pub struct EncodingQuestionsProps {
    pub questions: Vec<EncodingQuestion>,
    /// Read question `i` as Windows-1252.
    pub on_windows_1252: Callback<usize>,
    pub on_dismiss: Callback<usize>,
}

#[component]
pub fn EncodingQuestions(props: &EncodingQuestionsProps) -> Html {
    let items = props.questions.iter().enumerate().map(|(i, q)| {
        let (on_1252, on_dismiss) = (props.on_windows_1252.clone(), props.on_dismiss.clone());
        html! {
            <div key={q.name.clone()} class="notice problem encoding" role="alert">
                <p>{ format!("{}.", q.problem) }</p>
                <button type="button" onclick={Callback::from(move |_| on_1252.emit(i))}>
                    { format!("Open {} as Windows-1252", q.name) }
                </button>
                <button type="button" onclick={Callback::from(move |_| on_dismiss.emit(i))}>
                    { "Leave it" }
                </button>
            </div>
        }
    });
    html! { <>{ for items }</> }
}
