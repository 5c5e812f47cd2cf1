package api

import (
	"errors"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"densach/domain"
)

// requestFieldErrors names what a refused parameter or body field broke,
// with the field codes the handlers and decode use for the same faults (a
// required parameter left out is "required", as a required body field).
func requestFieldErrors(re *openapi3filter.RequestError) []domain.FieldError {
	if p := re.Parameter; p != nil {
		if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
			return []domain.FieldError{domain.FieldOf(p.Name, "required", domain.Params{"field": p.Name})}
		}
		return []domain.FieldError{parameterError(p)}
	}
	var out []domain.FieldError
	for _, se := range leafSchemaErrors(re.Err) {
		out = append(out, bodyFieldErrors(se)...)
	}
	if len(out) == 0 {
		out = append(out, domain.FieldOf("", "request_invalid", nil))
	}
	return out
}

// parameterError is the field error of a query parameter, coded as the
// handlers code a bad value of that kind (id_invalid, int_invalid,
// bool_invalid, <name>_invalid for a value outside a list, text_too_long).
func parameterError(p *openapi3.Parameter) domain.FieldError {
	var s *openapi3.Schema
	if p.Schema != nil {
		s = p.Schema.Value
	}
	name := p.Name
	switch {
	case s == nil:
	case s.Type.Is("integer") && (strings.HasSuffix(name, "_id") || s.Format == "int64" && s.Min != nil && *s.Min == 1):
		return domain.FieldOf(name, "id_invalid", domain.Params{"name": name})
	case s.Type.Is("integer"):
		return domain.FieldOf(name, "int_invalid", domain.Params{"name": name})
	case s.Type.Is("boolean"):
		return domain.FieldOf(name, "bool_invalid", domain.Params{"name": name})
	case len(s.Enum) > 0:
		return valueInvalid(name, name)
	case s.MaxLength != nil:
		return domain.FieldOf(name, "text_too_long", domain.Params{"max": *s.MaxLength})
	}
	return domain.FieldOf(name, "value_invalid", domain.Params{"field": name})
}

// leafSchemaErrors flattens the validator's nested errors into the ones
// that name a failing keyword of a value.
func leafSchemaErrors(err error) []*openapi3.SchemaError {
	var out []*openapi3.SchemaError
	var walk func(error)
	walk = func(err error) {
		var me openapi3.MultiError
		if errors.As(err, &me) && !isSchemaError(err) {
			for _, e := range me {
				walk(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if !errors.As(err, &se) {
			return
		}
		if se.Origin != nil {
			var sub openapi3.MultiError
			if errors.As(se.Origin, &sub) && len(sub) > 0 {
				for _, e := range sub {
					walk(e)
				}
				return
			}
		}
		out = append(out, se)
	}
	walk(err)
	return out
}

func isSchemaError(err error) bool {
	_, ok := err.(*openapi3.SchemaError)
	return ok
}

// bodyFieldErrors are the field errors of one failing keyword of a JSON
// body: one per property for required and additionalProperties, which name
// several at once.
func bodyFieldErrors(se *openapi3.SchemaError) []domain.FieldError {
	parent := strings.Join(se.JSONPointer(), ".")
	var out []domain.FieldError
	keyword := se.SchemaField
	if strings.HasSuffix(se.Reason, " is unsupported") {
		keyword = "additionalProperties" // kin-openapi's own validator says "properties"
	}
	switch keyword {
	case "additionalProperties", "unevaluatedProperties":
		for _, name := range quotedNames(se.Reason) {
			f := joinField(parent, name)
			out = append(out, domain.FieldOf(f, "unknown_field", domain.Params{"field": f}))
		}
	case "required":
		for _, name := range quotedNames(se.Reason) {
			// The validator already points at the missing property.
			f := parent
			if lastPart(parent) != name {
				f = joinField(parent, name)
			}
			out = append(out, domain.FieldOf(f, "required", domain.Params{"field": f}))
		}
	}
	if len(out) == 0 {
		out = append(out, bodyFieldError(se, parent))
	}
	return out
}

// bodyFieldError is the field error of one failing keyword of a JSON body,
// coded as decode and the domain code the same fault.
func bodyFieldError(se *openapi3.SchemaError, field string) domain.FieldError {
	switch se.SchemaField {
	case "type", "nullable":
		return domain.FieldOf(field, "type", domain.Params{"field": field})
	case "maxLength":
		if se.Schema != nil && se.Schema.MaxLength != nil {
			return domain.FieldOf(field, "text_too_long", domain.Params{"max": *se.Schema.MaxLength})
		}
		return domain.FieldOf(field, "value_invalid", domain.Params{"field": field})
	case "minLength":
		return domain.FieldOf(field, "too_short", domain.Params{"field": field})
	case "maxItems":
		if se.Schema != nil && se.Schema.MaxItems != nil {
			return domain.FieldOf(field, "too_many", domain.Params{"max": *se.Schema.MaxItems})
		}
		return domain.FieldOf(field, "value_invalid", domain.Params{"field": field})
	case "enum", "const":
		return valueInvalid(field, lastPart(field))
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return domain.FieldOf(field, "out_of_range", domain.Params{"field": field})
	case "format":
		code := "format_invalid"
		if se.Schema != nil && se.Schema.Format != "" {
			code = strings.ReplaceAll(se.Schema.Format, "-", "_") + "_invalid" // date_invalid, as the handlers say
		}
		if !domain.HasMessage(code) {
			return domain.FieldOf(field, "format_invalid", domain.Params{"field": field})
		}
		return domain.FieldError{Field: field, Code: code, Message: domain.Message(code, nil)}
	}
	return domain.FieldOf(field, "value_invalid", domain.Params{"field": field})
}

// valueInvalid is the field error of a value outside a list: the code
// <name>_invalid the handlers use for the same fault (role_invalid,
// sex_invalid, ...) when the catalogue has it, else value_invalid naming the
// field.
func valueInvalid(field, name string) domain.FieldError {
	code := name + "_invalid"
	if !domain.HasMessage(code) {
		return domain.FieldOf(field, "value_invalid", domain.Params{"field": field})
	}
	return domain.FieldError{Field: field, Code: code, Message: domain.Message(code, nil)}
}

// quotedNames lists the property names a required or additionalProperties
// failure quotes ('a', 'b' from the JSON Schema validator, "a" from the
// built-in one).
func quotedNames(reason string) []string {
	if i := strings.Index(reason, "at '"); i >= 0 { // leave out the quoted location
		if j := strings.Index(reason[i+4:], "': "); j >= 0 {
			reason = reason[i+4+j+3:]
		}
	}
	var out []string
	for _, q := range []string{"'", `"`} {
		parts := strings.Split(reason, q)
		for i := 1; i+1 < len(parts); i += 2 {
			out = append(out, parts[i])
		}
		if len(out) > 0 {
			return out
		}
	}
	return out
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

func lastPart(field string) string {
	if i := strings.LastIndex(field, "."); i >= 0 {
		return field[i+1:]
	}
	return field
}
