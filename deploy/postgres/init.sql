-- The three databases of Censo, made at the first start of the compose example's PostgreSQL
-- (each service migrates its own with `censo <service> migrate`). A real cluster gives each
-- service its own role, owning only its database (docs/deployment.md, "PostgreSQL").
CREATE DATABASE registration;
CREATE DATABASE web;
CREATE DATABASE census_worker;
