-- The application's runtime database role, as docs/deployment.md prescribes it.
--
-- Run as the owner role (the one that runs migrations), after every `manage.py migrate`:
--
--   psql -v ON_ERROR_STOP=1 -v app_role=vik_app -d vik -f scripts/db-roles.sql
--
-- The role itself is created once by the DBA (CREATE ROLE vik_app LOGIN PASSWORD '…').
-- The production-mode suite (tests/production/) runs the application through exactly this file.

GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
