package postgres

import (
	"context"
	"database/sql/driver"

	"github.com/jackc/pgx/v5"
)

// A request's context is cancellable (the API gives every request a
// deadline). database/sql watches such a context with a goroutine of its
// own for every result set and every transaction (Rows.awaitDone,
// Tx.awaitDone), which wakes another thread when it starts and again when
// the rows close: on a busy two-core machine that was the largest single
// cost of a short read. Here database/sql is handed the same context
// without its cancellation (detach), so it starts no goroutine, and the
// request's own context is handed back to whatever can wait or run for
// long, under the deadline as before:
//   - the wait for a pooled connection: the pool is pgx's (pgxpool, reached
//     through the connector below), and Acquire waits under the request's
//     context; database/sql itself keeps no connections and never waits;
//   - every statement, transaction begin, commit and rollback, and COPY:
//     pgx's tracer hooks (requestContext) put the request's context back
//     before pgx sends anything, so pgx cancels the statement at the
//     deadline exactly as it did when database/sql passed it through.

// detached is ctx without its cancellation, carrying ctx for pgx.
type detached struct {
	context.Context // context.WithoutCancel(ctx): values, no Done, no deadline
	req             context.Context
}

// requestKey finds the request's context in a detached one.
type requestKey struct{}

func (d detached) Value(key any) any {
	if key == (requestKey{}) {
		return d.req
	}
	return d.Context.Value(key)
}

// detach returns what database/sql is given for ctx.
func detach(ctx context.Context) context.Context {
	if ctx.Done() == nil {
		return ctx // nothing to watch: as it is
	}
	return detached{Context: context.WithoutCancel(ctx), req: ctx}
}

// attach returns the request's context of a detached one, else ctx.
func attach(ctx context.Context) context.Context {
	if req, ok := ctx.Value(requestKey{}).(context.Context); ok {
		return req
	}
	return ctx
}

// requestContext is pgx's tracer: it only puts the request's context back.
type requestContext struct{}

func (requestContext) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return attach(ctx)
}
func (requestContext) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (requestContext) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	return attach(ctx)
}
func (requestContext) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}
func (requestContext) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	return attach(ctx)
}
func (requestContext) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}
func (requestContext) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return attach(ctx)
}
func (requestContext) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (requestContext) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// poolConnector hands the request's context to the pool: database/sql
// "connects" for every statement (it keeps no idle connections), and
// acquiring from pgxpool is where a request waits for a connection.
type poolConnector struct{ driver.Connector }

func (c poolConnector) Connect(ctx context.Context) (driver.Conn, error) {
	return c.Connector.Connect(attach(ctx))
}
