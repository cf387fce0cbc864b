//! The guard every route passes before its handler runs: who is calling, and
//! whether they may do the route's action on the object its `{id}` names.
//!
//! Routes are declared through [`Routes::add`], which takes the route's
//! [`Need`] beside its handler, so a route cannot exist without one. The
//! guard runs as a route layer, before any extractor of the handler: no body
//! is read, parsed or buffered and nothing but the object's place in the tree
//! is loaded for a caller who may not act on it. The use case checks again
//! (the command line reaches it without the guard); both go through
//! `service::authorize`, so they agree. The list of rules is kept so that the
//! authorization sweep (tests/it/authz.rs) walks every route, pages and API.

use super::error::{ApiError, PageError};
use super::extract::{ApiCaller, PageCaller};
use crate::app::AppState;
use crate::domain::authz::Action;
use crate::service::{self, AppError, Object};
use axum::Router;
use axum::extract::{RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};

/// What a route asks of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone: the login form, the health check, the OpenAPI document.
    Public,
    /// A signed-in caller; the use case checks the object named in the body
    /// or query (a new member's cell, a search), or the caller's own data.
    SignedIn,
    /// `Action` on the object the route's `{id}` names.
    On(Object, Action),
}

/// Pages answer with HTML (and send strangers to the login form), the API
/// with JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Page,
    Api,
}

/// One route and what it needs (the authorization sweep walks these).
#[derive(Debug, Clone)]
pub struct Rule {
    pub method: Method,
    pub path: String,
    pub need: Need,
    pub surface: Surface,
}

#[derive(Clone)]
struct Guard {
    app: AppState,
    need: Need,
    surface: Surface,
}

/// A router whose every route carries its [`Need`].
pub struct Routes {
    router: Router<AppState>,
    rules: Vec<Rule>,
    app: AppState,
    surface: Surface,
    /// Where the router will be nested ("/api/v1"), for the rules' paths.
    prefix: &'static str,
}

impl Routes {
    pub fn new(app: &AppState, surface: Surface, prefix: &'static str) -> Self {
        Routes {
            router: Router::new(),
            rules: Vec::new(),
            app: app.clone(),
            surface,
            prefix,
        }
    }

    pub fn add<H, T>(self, method: Method, path: &'static str, need: Need, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add_limited(method, path, need, None, handler)
    }

    /// `add`, with a body limit other than axum's default 2 MB.
    pub fn add_limited<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        need: Need,
        body_limit: Option<usize>,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        // Only extension methods lack a filter, and chibo declares none; were
        // one declared, the route would answer 405 and the sweep would fail.
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::TRACE);
        let guard = Guard {
            app: self.app.clone(),
            need,
            surface: self.surface,
        };
        let mut route = on(filter, handler).route_layer(from_fn_with_state(guard, check));
        if let Some(limit) = body_limit {
            route = route.layer(axum::extract::DefaultBodyLimit::max(limit));
        }
        self.router = self.router.route(path, route);
        self.rules.push(Rule {
            method,
            path: format!("{}{path}", self.prefix),
            need,
            surface: self.surface,
        });
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<Rule>) {
        (self.router, self.rules)
    }
}

fn refuse(surface: Surface, e: AppError) -> Response {
    match surface {
        Surface::Page => PageError(e).into_response(),
        Surface::Api => ApiError(e).into_response(),
    }
}

async fn check(
    State(g): State<Guard>,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    req: Request,
    next: Next,
) -> Response {
    if g.need == Need::Public {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // The callers' extractors do the identifying (session or bearer token,
    // with their expiry rules); the handler's own extractor then finds the
    // caller here instead of looking it up again.
    let caller = match g.surface {
        Surface::Page => match PageCaller::from_parts(&mut parts, &g.app).await {
            Ok(pc) => {
                let caller = pc.caller.clone();
                parts.extensions.insert(pc);
                caller
            }
            Err(e) => return e.into_response(),
        },
        Surface::Api => match ApiCaller::from_parts(&mut parts, &g.app).await {
            Ok(ac) => {
                let caller = ac.0.clone();
                parts.extensions.insert(ac);
                caller
            }
            Err(e) => return e.into_response(),
        },
    };
    if let Need::On(object, action) = g.need {
        let id = params.ok().and_then(|p| {
            p.iter()
                .find(|(name, _)| *name == "id")
                .and_then(|(_, v)| v.parse::<i64>().ok())
        });
        let Some(id) = id else {
            return match g.surface {
                Surface::Page => refuse(g.surface, AppError::NotFound),
                Surface::Api => {
                    ApiError::bad_request("Đường dẫn không hợp lệ: mã số phải là số nguyên.")
                }
            };
        };
        if let Err(e) = service::authorize(&g.app, &caller, object, action, id).await {
            return refuse(g.surface, e);
        }
    }
    next.run(Request::from_parts(parts, body)).await
}
