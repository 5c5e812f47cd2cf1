package domain

import "context"

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request's id, so that use cases
// record it in the audit log without knowing about HTTP.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// ActorOf names who performs a write for the audit log: the principal's
// person (none for the system) and the request id carried by ctx.
func ActorOf(ctx context.Context, pr Principal) Actor {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return Actor{PersonID: pr.PersonID, RequestID: id}
}
