-- Whether the articles from before author profiles have been given theirs (done once, at the
-- first start after the profiles came: looking for them took a second on every start at
-- 100,000 articles).
INSERT INTO site_state (key, value) VALUES ('author_profiles_given', 0) ON CONFLICT (key) DO NOTHING;
