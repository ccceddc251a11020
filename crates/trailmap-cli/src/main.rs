fn main() {
    print!("{}", trailmap_model::schema::json_schema_text());
}
