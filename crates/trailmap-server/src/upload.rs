//! Reading a `multipart/form-data` body (file uploads) into text fields and files.

use axum::extract::Multipart;

use crate::error::AppError;
use crate::form::Fields;

/// An uploaded file.
pub(crate) struct Upload {
    /// The form field it came in.
    pub(crate) field: String,
    /// The file name the browser gave (only the last path component).
    pub(crate) file_name: String,
    pub(crate) bytes: Vec<u8>,
}

/// Every part of the body: parts with a file name are files (empty file inputs are skipped),
/// the rest are text fields.
pub(crate) async fn read(mut multipart: Multipart) -> Result<(Fields, Vec<Upload>), AppError> {
    let mut fields = Vec::new();
    let mut files = Vec::new();
    loop {
        let part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(e) => {
                return Err(AppError::bad(
                    "",
                    format!("the upload could not be read: {e}"),
                ));
            }
        };
        let name = part.name().unwrap_or("").to_owned();
        let file_name = part
            .file_name()
            .map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f).to_owned());
        let bytes = part
            .bytes()
            .await
            .map_err(|e| AppError::bad(&name, format!("the upload could not be read: {e}")))?;
        match file_name {
            Some(file_name) => {
                if !file_name.is_empty() || !bytes.is_empty() {
                    files.push(Upload {
                        field: name,
                        file_name,
                        bytes: bytes.to_vec(),
                    });
                }
            }
            None => {
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| AppError::bad(&name, "the field is not UTF-8 text"))?;
                fields.push((name, text));
            }
        }
    }
    Ok((Fields(fields), files))
}

/// A file's bytes as text, with an error that names the file and the place of a bad byte.
pub(crate) fn text_of(upload: &Upload) -> Result<String, AppError> {
    String::from_utf8(upload.bytes.clone()).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = &upload.bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(
            &before[before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)..],
        )
        .chars()
        .count()
            + 1;
        AppError::bad(
            &upload.field,
            format!(
                "`{}` is not UTF-8 text: invalid byte at line {line}, column {column}",
                upload.file_name
            ),
        )
    })
}
