package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// contract is the OpenAPI document loaded for request validation, with its
// operations by method and path template ("GET /api/v1/centres/{id}"): each
// route looks its operation up once, when it is mounted.
type contract struct {
	ops map[string]*contractOp
}

// contractOp is one documented operation and what validating it needs.
type contractOp struct {
	segments []string // the path split at "/"; a parameter is "{name}"
	route    *routers.Route
	jsonBody bool       // the request body is JSON and is validated
	secured  bool       // a bearer token is required (it is checked before a refusal is sent)
	check    bool       // there is anything to validate: parameters or a JSON body
	ids      pathIDs    // nil unless the parameters are only what pathIDs checks
	body     *bodyCheck // the fast accept check of the JSON body, or nil
}

// loadContract parses the embedded document once; a document that does not
// load is a programming error that TestContractLoads catches.
var loadContract = sync.OnceValues(func() (*contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		return nil, fmt.Errorf("api/openapi.json: %w", err)
	}
	// The routes carry a copy of the document that calls itself 3.0, so
	// that openapi3filter uses kin-openapi's own validator: it covers every
	// keyword the request schemas use (TestContractKeywords keeps it so),
	// while its JSON Schema 2020-12 validator compiles the schema again on
	// every call, which tripled the cost of an authenticated read.
	spec := *doc
	spec.OpenAPI = "3.0.3"
	k := &contract{ops: map[string]*contractOp{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			// The bearer token is requireAuth's business: the validator sees
			// an operation without security requirements.
			unsecured := *op
			unsecured.Security = &openapi3.SecurityRequirements{}
			o := &contractOp{
				segments: strings.Split(strings.Trim(path, "/"), "/"),
				route:    &routers.Route{Spec: &spec, Path: path, PathItem: item, Method: method, Operation: &unsecured},
			}
			if op.RequestBody != nil && op.RequestBody.Value.Content.Get(fiber.MIMEApplicationJSON) != nil {
				o.jsonBody = true
			}
			o.check = o.jsonBody || len(op.Parameters) > 0 || len(item.Parameters) > 0
			o.ids = newPathIDs(o)
			if o.jsonBody {
				o.body = newBodyCheck(op)
			}
			if op.Security != nil {
				o.secured = requiresBearer(securityMaps(*op.Security))
			}
			k.ops[method+" "+path] = o
		}
	}
	return k, nil
})

func securityMaps(reqs openapi3.SecurityRequirements) []map[string][]string {
	out := make([]map[string][]string, len(reqs))
	for i, r := range reqs {
		out[i] = r
	}
	return out
}

// requiresBearer reports whether a security requirement list demands the
// bearer token (an empty requirement {} makes it optional).
func requiresBearer(reqs []map[string][]string) bool {
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		if _, ok := r["bearerAuth"]; !ok {
			return false
		}
	}
	return true
}

// hasOperation reports whether the contract declares operationID.
func (k *contract) hasOperation(operationID string) bool {
	for _, o := range k.ops {
		if o.route.Operation != nil && o.route.Operation.OperationID == operationID {
			return true
		}
	}
	return false
}

// op returns the operation of a Fiber route (":id" is the document's
// "{id}"), or nil when the document does not describe it.
func (k *contract) op(method, route string) *contractOp {
	segs := strings.Split(route, "/")
	for i, seg := range segs {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return k.ops[method+" "+strings.Join(segs, "/")]
}

// match reports whether path fits the operation's template, recording the
// path parameters' values in params when it is not nil.
func (o *contractOp) match(path string, params map[string]string) bool {
	rest := path
	for i, seg := range o.segments {
		part, tail, found := strings.Cut(rest, "/")
		if found != (i < len(o.segments)-1) {
			return false
		}
		rest = tail
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			if part == "" {
				return false
			}
			if params != nil {
				params[strings.TrimSuffix(name, "}")] = part
			}
		} else if part != seg {
			return false
		}
	}
	return true
}

// pathIDs is the fast check of the parameters of an operation whose only
// parameters are integer path parameters with at most a minimum (GET
// /centres/{id}), and header parameters that are not required (kin-openapi
// is given no header but Content-Type, so they always pass): it reads the
// same schema without building a net/http request, so a read costs a few
// string comparisons more than without validation. For an operation with a
// JSON body it applies once the body's fast check accepted the body.
type pathIDs []struct {
	segment int
	min     int64
}

// newPathIDs returns the fast check for o, or nil when o needs more than it.
func newPathIDs(o *contractOp) pathIDs {
	out := pathIDs{}
	params := append(openapi3.Parameters{}, o.route.PathItem.Parameters...)
	params = append(params, o.route.Operation.Parameters...)
	for _, ref := range params {
		p := ref.Value
		if p.In == openapi3.ParameterInHeader && !p.Required && !strings.EqualFold(p.Name, fiber.HeaderContentType) {
			continue
		}
		if p.In != openapi3.ParameterInPath || p.Schema == nil {
			return nil
		}
		sc := p.Schema.Value
		if !sc.Type.Is("integer") || len(sc.Enum) > 0 || sc.Max != nil || sc.ExclusiveMin.IsSet() || sc.MultipleOf != nil ||
			sc.Format != "" && sc.Format != "int64" {
			return nil
		}
		i := slices.Index(o.segments, "{"+p.Name+"}")
		if i < 0 {
			return nil
		}
		min := int64(math.MinInt64)
		if sc.Min != nil {
			min = int64(math.Ceil(*sc.Min))
		}
		out = append(out, struct {
			segment int
			min     int64
		}{i, min})
	}
	return out
}

// valid reports whether every integer path parameter of path is in range.
func (ids pathIDs) valid(path string) bool {
	rest := strings.Trim(path, "/")
	for i := 0; rest != ""; i++ {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		for _, id := range ids {
			if id.segment != i {
				continue
			}
			if n, err := strconv.ParseInt(seg, 10, 64); err != nil || n < id.min {
				return false
			}
		}
	}
	return true
}

// validationOptions: defaults are not written back, and every failure is
// reported.
var validationOptions = &openapi3filter.Options{
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
	MultiError:          true,
}

// checkContract returns the check of a route's request against its
// operation in the OpenAPI document, run before the handler (and before
// requireAuth and idempotent): its path and query parameters and its JSON
// body. A refusal is the one error shape: 422 with field errors, or 404 for
// a path parameter that cannot name anything (as pathID answers). For an
// operation that needs a bearer token, a request without a valid one is
// answered 401 first, as if requireAuth had run. What the document does not
// describe (bodies that are not JSON, too large or malformed) passes through
// to the handler, whose decode answers it as before. It returns nil when
// there is nothing to check: a route the document does not describe, or an
// operation without parameters or JSON body.
func (s *Server) checkContract(method, route string) fiber.Handler {
	k, err := loadContract()
	if err != nil {
		return func(*fiber.Ctx) error { return domain.Wrap("openapi", domain.CodeInternal, err) }
	}
	op := k.op(method, route)
	if op == nil || !op.check {
		return nil
	}
	if op.ids != nil && !op.jsonBody {
		return func(c *fiber.Ctx) error {
			if op.ids.valid(c.Path()) {
				return c.Next()
			}
			return op.refuse(s, c, errNoSuchPath)
		}
	}
	return func(c *fiber.Ctx) error {
		if ct := string(c.Request().Header.ContentType()); op.jsonBody && len(requestBody(c)) <= maxJSONBody &&
			(ct == "" || strings.HasPrefix(ct, fiber.MIMEApplicationJSON)) {
			// Bytes PostgreSQL refuses are named as such before the schema
			// can call the same value a wrong type.
			if err := checkStrings(requestBody(c)); err != nil {
				return op.refuse(s, c, err)
			}
		}
		if err := op.validateRequest(c); err != nil {
			return op.refuse(s, c, err)
		}
		return c.Next()
	}
}

// errNoSuchPath is the answer to a path parameter that cannot name
// anything, the same as pathID's.
var errNoSuchPath = domain.Fail(domain.CodeNotFound, "not_found", nil)

// refuse answers err, or 401 when the operation needs a bearer token and
// the request has no valid one, as if requireAuth had run first.
func (o *contractOp) refuse(s *Server, c *fiber.Ctx, err error) error {
	if o.secured {
		if _, aerr := s.bearer(c); aerr != nil {
			return aerr
		}
	}
	return err
}

// validateRequest runs openapi3filter on a net/http copy of the request,
// without the JSON body when the body's fast check accepts it, and not at
// all when pathIDs then accepts the parameters.
func (o *contractOp) validateRequest(c *fiber.Ctx) error {
	body := requestBody(c)
	ct := c.Request().Header.ContentType()
	excludeBody := false
	switch {
	case !o.jsonBody:
		excludeBody = true
	case len(body) > maxJSONBody, len(ct) > 0 && !bytes.HasPrefix(ct, []byte(fiber.MIMEApplicationJSON)):
		excludeBody = true // decode answers 413 or "must be JSON"
	default:
		if len(bytes.TrimSpace(body)) == 0 {
			body = []byte("{}") // decode reads an empty body as {}
		}
		if !json.Valid(body) {
			excludeBody = true // decode says where the syntax breaks
		} else if o.body != nil && o.body.accepts(body) {
			if o.ids != nil && o.ids.valid(c.Path()) {
				return nil
			}
			excludeBody = true // certainly valid: only the parameters are checked
		}
	}
	opts := *validationOptions
	opts.ExcludeRequestBody = excludeBody
	req := &http.Request{
		Method: o.route.Method,
		URL:    &url.URL{Path: c.Path(), RawQuery: string(c.Request().URI().QueryString())},
		Header: http.Header{},
	}
	if !excludeBody {
		req.Header.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	params := map[string]string{}
	o.match(strings.Trim(c.Path(), "/"), params)
	err := openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: o.route, Options: &opts,
	})
	if err == nil {
		return nil
	}
	return contractError(err)
}

// contractError turns openapi3filter's errors into the one error shape.
func contractError(err error) error {
	var all openapi3.MultiError
	if !errors.As(err, &all) {
		all = openapi3.MultiError{err}
	}
	var fields domain.Fields
	for _, e := range all {
		var re *openapi3filter.RequestError
		if !errors.As(e, &re) {
			fields.AddOf("", "invalid", nil)
			continue
		}
		if re.Parameter != nil && re.Parameter.In == openapi3.ParameterInPath {
			return errNoSuchPath
		}
		fields = append(fields, requestFieldErrors(re)...)
	}
	return domain.Invalid(fields...)
}
