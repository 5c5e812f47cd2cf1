package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// maxJSONBody bounds every JSON request body; files have their own limits.
const maxJSONBody = 64 << 10

// maxStringLen bounds any single string in a JSON body before field
// validation applies its own, tighter limits.
const maxStringLen = 4000

// decode reads a JSON body strictly: unknown fields, trailing data, overlong
// strings and oversize bodies are rejected with a clear message.
func decode(c *fiber.Ctx, v any) error { return decodeUpTo(c, v, maxJSONBody) }

// maxMarkdownBody bounds the bodies that carry long Markdown (a course's
// description, a lesson's body); the contract is not checked past
// maxJSONBody, the strict decode and the domain still are.
const maxMarkdownBody = 512 << 10

// decodeUpTo is decode with another bound on the body's size.
func decodeUpTo(c *fiber.Ctx, v any, maxBody int) error {
	body := requestBody(c)
	if len(body) > maxBody {
		return domain.Fail(domain.CodeTooLarge, "body_too_large", domain.Params{"max_kb": maxBody >> 10})
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if ct := string(c.Request().Header.ContentType()); ct != "" && !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return domain.Fail(domain.CodeInvalid, "json_required", nil)
	}
	return decodeJSON(body, v)
}

// decodeJSON is decode without the request: strings holding bytes
// PostgreSQL refuses are named first, then the body is decoded strictly.
func decodeJSON(body []byte, v any) error {
	if err := checkStrings(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return domain.Fail(domain.CodeInvalid, "json_trailing_data", nil)
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return domain.Fail(domain.CodeInvalid, "json_syntax", domain.Params{"offset": syn.Offset})
	case errors.As(err, &typ):
		return domain.Invalid(domain.FieldOf(typ.Field, "type", domain.Params{"field": typ.Field}))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return domain.Invalid(domain.FieldOf(name, "unknown_field", domain.Params{"field": name}))
	}
	return domain.Fail(domain.CodeInvalid, "json_unreadable", nil)
}

// pathID reads a positive integer path parameter; anything else is not found.
func pathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Fail(domain.CodeNotFound, "not_found", nil)
	}
	return id, nil
}

// queryID reads an optional positive integer query parameter.
func queryID(c *fiber.Ctx, name string) (int64, error) {
	raw := c.Query(name)
	if raw == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Invalid(domain.FieldOf(name, "id_invalid", domain.Params{"name": name}))
	}
	return id, nil
}
