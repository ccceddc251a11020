//! Errors are values that become responses: an HTML page for people, a JSON object for the API.
//!
//! Every error has an HTTP status, a stable `code` (the API's `error.code`) and a message for
//! people. Database and internal errors are logged on stderr and shown only as "internal error",
//! so nothing about the database reaches the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use trailmap_store::StoreError;

/// Everything a handler can fail with.
#[derive(Debug)]
pub(crate) enum AppError {
    /// From the store: not found, forbidden, conflict, invalid input...
    Store(StoreError),
    /// The request is malformed or a field is wrong.
    BadRequest { field: String, message: String },
    /// A unique value (a slug) is taken.
    Taken { field: String, message: String },
    /// The page or thing does not exist (or is not visible).
    NotFound(&'static str),
    /// The principal may not do this.
    Forbidden(String),
    /// The page needs a signed-in user (pages redirect to the login page).
    SignInRequired { next: String },
    /// The API needs credentials.
    Unauthorized,
    /// The CSRF token is missing or wrong.
    Csrf,
    /// Too many failed logins.
    TooManyAttempts { retry_after_s: u64 },
    /// The body is larger than allowed.
    TooLarge { limit: usize },
    /// A feature that needs something this machine lacks (Chromium for PNG).
    Unavailable(String),
    /// A bug or an environment failure; the message is logged, not shown.
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl AppError {
    pub(crate) fn bad(field: &str, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The same status and code with a more specific message for one field.
    pub(crate) fn with_field_message(self, field: &str, message: String) -> AppError {
        match self {
            AppError::Store(StoreError::AlreadyExists { .. }) => AppError::Taken {
                field: field.to_owned(),
                message,
            },
            other => other,
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            AppError::Store(e) => match e {
                StoreError::NotFound { .. } => StatusCode::NOT_FOUND,
                StoreError::Forbidden { .. } | StoreError::InvitationRequired => {
                    StatusCode::FORBIDDEN
                }
                StoreError::Conflict { .. } | StoreError::AlreadyExists { .. } => {
                    StatusCode::CONFLICT
                }
                StoreError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                StoreError::BadCredentials => StatusCode::UNAUTHORIZED,
                StoreError::Unsupported(_) => StatusCode::NOT_IMPLEMENTED,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            AppError::BadRequest { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Taken { .. } => StatusCode::CONFLICT,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::SignInRequired { .. } | AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::NOT_IMPLEMENTED,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            AppError::Store(e) => match e {
                StoreError::NotFound { .. } => "not_found",
                StoreError::Forbidden { .. } => "forbidden",
                StoreError::InvitationRequired => "invitation_required",
                StoreError::Conflict { .. } => "version_conflict",
                StoreError::AlreadyExists { .. } => "already_exists",
                StoreError::Invalid { .. } => "invalid",
                StoreError::BadCredentials => "bad_credentials",
                StoreError::Unsupported(_) => "not_implemented",
                _ => "internal",
            },
            AppError::BadRequest { .. } => "invalid",
            AppError::Taken { .. } => "already_exists",
            AppError::NotFound(_) => "not_found",
            AppError::Forbidden(_) => "forbidden",
            AppError::SignInRequired { .. } | AppError::Unauthorized => "unauthorized",
            AppError::Csrf => "csrf",
            AppError::TooManyAttempts { .. } => "rate_limited",
            AppError::TooLarge { .. } => "too_large",
            AppError::Unavailable(_) => "not_implemented",
            AppError::Internal(_) => "internal",
        }
    }

    /// The message for people; internal details are replaced by a generic line.
    pub(crate) fn message(&self) -> String {
        match self {
            AppError::Store(e) => match e {
                StoreError::Database(_)
                | StoreError::Internal(_)
                | StoreError::Migration { .. } => {
                    "internal error; the server log has the details".to_owned()
                }
                StoreError::Forbidden { .. } => {
                    "your role in this workspace does not allow this".to_owned()
                }
                StoreError::Conflict { latest } => format!(
                    "the map was changed meanwhile: it is at version {}, and your change was based on an older one",
                    latest.number
                ),
                other => other.to_string(),
            },
            AppError::BadRequest { field, message } => {
                if field.is_empty() {
                    message.clone()
                } else {
                    format!("{field}: {message}")
                }
            }
            AppError::Taken { message, .. } => message.clone(),
            AppError::NotFound(what) => format!("{what} not found"),
            AppError::Forbidden(message) => message.clone(),
            AppError::SignInRequired { .. } | AppError::Unauthorized => {
                "sign in first (or send `Authorization: Bearer TOKEN`)".to_owned()
            }
            AppError::Csrf => {
                "the form's security token is missing or out of date; reload the page and try again"
                    .to_owned()
            }
            AppError::TooManyAttempts { retry_after_s } => format!(
                "too many failed sign-in attempts; try again in {} minutes",
                retry_after_s.div_ceil(60)
            ),
            AppError::TooLarge { limit } => {
                format!("the upload is larger than {} MB", limit / (1024 * 1024))
            }
            AppError::Unavailable(message) => message.clone(),
            AppError::Internal(_) => "internal error; the server log has the details".to_owned(),
        }
    }

    fn log(&self) {
        match self {
            AppError::Internal(detail) => eprintln!("trailmap serve: internal error: {detail}"),
            AppError::Store(
                e @ (StoreError::Database(_)
                | StoreError::Internal(_)
                | StoreError::Migration { .. }),
            ) => eprintln!("trailmap serve: {e}"),
            _ => {}
        }
    }

    fn extra_headers(&self, response: &mut Response) {
        if let AppError::TooManyAttempts { retry_after_s } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }

    /// The JSON form: `{"error": {"code", "message"[, "field"][, "latest_version"]}}`.
    pub(crate) fn into_json_response(self) -> Response {
        self.log();
        let mut error = serde_json::json!({ "code": self.code(), "message": self.message() });
        match &self {
            AppError::BadRequest { field, .. } | AppError::Taken { field, .. }
                if !field.is_empty() =>
            {
                error["field"] = field.clone().into();
            }
            AppError::Store(StoreError::Invalid { field, .. }) => {
                error["field"] = (*field).into();
            }
            AppError::Store(StoreError::Conflict { latest }) => {
                error["latest_version"] = latest.number.into();
            }
            _ => {}
        }
        let mut response = (
            self.status(),
            axum::Json(serde_json::json!({ "error": error })),
        )
            .into_response();
        self.extra_headers(&mut response);
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignInRequired { next } = &self {
            let target = format!("/login?next={}", crate::pages::layout::url_encode(next));
            return axum::response::Redirect::to(&target).into_response();
        }
        self.log();
        let status = self.status();
        let page = crate::pages::layout::error_page(status, &self.message());
        let mut response = (status, page).into_response();
        self.extra_headers(&mut response);
        response
    }
}

/// An error shown as JSON: what API handlers return.
#[derive(Debug)]
pub(crate) struct ApiError(pub(crate) AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json_response()
    }
}
