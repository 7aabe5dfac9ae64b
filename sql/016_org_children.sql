-- 016_org_children.sql - an org's children in the order of their paths,
-- with their names, from the index alone: the school picker of a district's
-- pages (82 schools in a large one) had looked up and sorted every school.
DROP INDEX org_parent;
CREATE INDEX org_parent ON org(parent_id, path, name);
