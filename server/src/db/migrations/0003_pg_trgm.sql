-- Trigram similarity for typo-tolerant search (PGlite loads the extension through its options).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
