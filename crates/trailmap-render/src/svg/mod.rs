//! placeholder
use crate::RenderOptions;
use trailmap_model::Map;
pub fn render(_map: &Map, _options: &RenderOptions) -> String {
    String::new()
}
