//! The caller's reading preferences: larger text, higher contrast
//! (docs/rules.md "Reading preferences").

use super::layout::csrf_field;
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::display::Display;
use crate::service::account;
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::State;
use axum::response::Redirect;
use maud::{Markup, html};
use serde::Deserialize;

pub async fn page(pc: PageCaller) -> Markup {
    let d = pc.caller.display;
    let body = html! {
        h1 { "Cách hiển thị" }
        p { "Chọn cách trang hiện trên máy của đồng chí. Lựa chọn được lưu theo tài khoản, "
            "nên đăng nhập trên máy khác cũng hiện như vậy." }
        form method="post" action="/me/display" {
            (csrf_field(&pc.csrf))
            div.card {
                label.plain {
                    input type="checkbox" name="large_text" value="1" checked[d.large_text];
                    " Chữ lớn (dễ đọc hơn cho người cao tuổi)"
                }
                label.plain {
                    input type="checkbox" name="high_contrast" value="1" checked[d.high_contrast];
                    " Tương phản cao (chữ đen trên nền trắng, đường viền đậm)"
                }
            }
            button type="submit" { "Lưu" }
        }
        p.muted { "Điện thoại đặt chế độ tăng tương phản thì trang cũng tự tăng tương phản." }
    };
    render(&pc, "Cách hiển thị", body).await
}

/// A checkbox sends its value only when ticked.
#[derive(Deserialize)]
pub struct DisplayForm {
    #[serde(default)]
    large_text: Option<String>,
    #[serde(default)]
    high_contrast: Option<String>,
}

pub async fn save(
    State(app): State<AppState>,
    pc: PageCaller,
    CsrfForm(f): CsrfForm<DisplayForm>,
) -> Result<Redirect, PageError> {
    let d = Display {
        large_text: f.large_text.is_some(),
        high_contrast: f.high_contrast.is_some(),
    };
    account::set_display(&app, &pc.caller, d).await?;
    set_flash(&pc.session, "Đã lưu cách hiển thị.").await;
    Ok(Redirect::to("/me/display"))
}
