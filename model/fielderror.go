package model

import "strings"

// FieldError says which input field broke a rule, in words a user can act on.
type FieldError struct {
	Field   string
	Message string
}

// InvalidInput lists every field that broke a rule, so that the user can fix them all at once.
type InvalidInput struct {
	Fields []FieldError
}

func (e *InvalidInput) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field
	}
	return "invalid input: " + strings.Join(names, ", ")
}

// fieldErrors collects rule violations while a model function checks its input.
type fieldErrors []FieldError

func (f *fieldErrors) add(field, message string) { *f = append(*f, FieldError{field, message}) }

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &InvalidInput{Fields: f}
}
