package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/i18n"
)

// formState carries a form's problems back to its page, translated.
type formState struct {
	Errors []string            // the summary first, then problems not tied to a field
	fields map[string][]string // field name → its translated problems
}

// Bad reports whether a field has a problem (for aria-invalid).
func (f *formState) Bad(field string) bool { return len(f.fields[field]) > 0 }

// FieldErrors returns a field's problems.
func (f *formState) FieldErrors(field string) []string { return f.fields[field] }

// setError fills the form state from an error of hearth's vocabulary. It
// reports false for errors that are not the person's to fix (they go to the
// error page).
func (s *Server) setError(r *http.Request, f *formState, err error, fieldsShown ...string) bool {
	return s.setFormError(r, f, err, "", fieldsShown...)
}

// setFormError is setError for a form with its own wording: a field's
// problem is first looked up as prefix+"field."+field+"."+code (so the group
// form can say "the cap" rather than "the value"), then in the generic
// catalog, then in the domain's English.
func (s *Server) setFormError(r *http.Request, f *formState, err error, prefix string, fieldsShown ...string) bool {
	e, status := classify(err)
	if status >= 500 || status == http.StatusForbidden || status == http.StatusNotFound {
		return false
	}
	loc := s.locale(r)
	f.Errors = []string{s.translateError(loc, e)}
	f.fields = map[string][]string{}
	for _, fe := range e.Fields {
		msg := s.fieldMessage(loc, prefix, fe)
		if slices.Contains(fieldsShown, fe.Field) {
			f.fields[fe.Field] = append(f.fields[fe.Field], msg)
		} else {
			f.Errors = append(f.Errors, msg)
		}
	}
	return true
}

func (s *Server) fieldMessage(loc *i18n.Locale, prefix string, fe hearth.FieldError) string {
	if prefix != "" {
		key := prefix + "field." + fe.Field + "." + fe.Code
		pairs := make([]any, 0, 2*len(fe.Params))
		for k, v := range fe.Params {
			pairs = append(pairs, k, v)
		}
		if t := loc.T(key, pairs...); t != key {
			return t
		}
	}
	return s.translateField(loc, fe)
}

// parseForm reads a urlencoded or multipart form within the size limit.
func parseForm(r *http.Request) (url.Values, error) {
	if err := r.ParseForm(); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return nil, err
		}
		return nil, errBadForm
	}
	// A NUL is never typed by a person, and PostgreSQL refuses to store it.
	for _, vs := range r.PostForm {
		for _, v := range vs {
			if !hearth.ValidText(v) {
				return nil, errBadForm
			}
		}
	}
	return r.PostForm, nil
}
