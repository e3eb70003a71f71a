package web

// TEMPORARY placeholders, replaced as the handlers are written.
