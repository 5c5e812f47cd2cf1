package api

import (
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[domain.Code]int{
	domain.CodeInvalid:      fiber.StatusUnprocessableEntity,
	domain.CodeUnauthorized: fiber.StatusUnauthorized,
	domain.CodeForbidden:    fiber.StatusForbidden,
	domain.CodeNotFound:     fiber.StatusNotFound,
	domain.CodeConflict:     fiber.StatusConflict,
	domain.CodeRateLimited:  fiber.StatusTooManyRequests,
	domain.CodeTooLarge:     fiber.StatusRequestEntityTooLarge,
	domain.CodeUnavailable:  fiber.StatusServiceUnavailable,
	domain.CodeInternal:     fiber.StatusInternalServerError,
}

// defaultMessage is what a caller reads when the error carries no message of
// its own; internal causes never reach the caller.
var defaultMessage = map[domain.Code]string{
	domain.CodeInvalid:      "Dữ liệu không hợp lệ.",
	domain.CodeUnauthorized: "Bạn cần đăng nhập lại.",
	domain.CodeForbidden:    "Bạn không có quyền thực hiện thao tác này.",
	domain.CodeNotFound:     "Không tìm thấy.",
	domain.CodeConflict:     "Dữ liệu bị trùng hoặc vừa thay đổi.",
	domain.CodeRateLimited:  "Bạn thao tác quá nhiều lần, vui lòng thử lại sau ít phút.",
	domain.CodeTooLarge:     "Dữ liệu gửi lên quá lớn.",
	domain.CodeUnavailable:  "Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút.",
	domain.CodeInternal:     "Đã có lỗi trong hệ thống. Vui lòng thử lại; nếu vẫn lỗi, hãy báo cho quản trị viên.",
}

// fiberCodes maps the framework's own errors (unknown route, body too large,
// wrong method) onto domain codes.
var fiberCodes = map[int]domain.Code{
	fiber.StatusBadRequest:                  domain.CodeInvalid,
	fiber.StatusNotFound:                    domain.CodeNotFound,
	fiber.StatusMethodNotAllowed:            domain.CodeNotFound,
	fiber.StatusRequestEntityTooLarge:       domain.CodeTooLarge,
	fiber.StatusRequestHeaderFieldsTooLarge: domain.CodeUnauthorized,
	fiber.StatusUnsupportedMediaType:        domain.CodeInvalid,
	fiber.StatusRequestTimeout:              domain.CodeUnavailable,
	fiber.StatusServiceUnavailable:          domain.CodeUnavailable,
}

// ErrorBody is the one JSON shape of every error answer.
type ErrorBody struct {
	Code      domain.Code         `json:"code"`
	Message   string              `json:"message"`
	Fields    []domain.FieldError `json:"fields,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

// errorHandler writes every error in the one shape and logs internal ones.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	var e *domain.Error
	status := fiber.StatusInternalServerError
	body := ErrorBody{RequestID: requestID(c)}
	switch {
	case errors.As(err, &e):
		body.Code, body.Message, body.Fields = e.Code, e.Message, e.Fields
		if e.Code == domain.CodeInternal {
			body.Message = ""
		}
		status = statusOf[e.Code]
	case errors.As(err, &fe):
		status = fe.Code
		code, ok := fiberCodes[fe.Code]
		if !ok {
			code = domain.CodeInternal
			status = fiber.StatusInternalServerError
		}
		body.Code = code
		if code == domain.CodeUnauthorized {
			// Headers too large for the read buffer are refused before any
			// handler runs; the large one is almost always a forged or
			// corrupted token, so the answer is the token's: 401.
			status = fiber.StatusUnauthorized
		}
		if code == domain.CodeNotFound {
			body.Message = "Không tìm thấy địa chỉ này."
		}
		if fe.Code == fiber.StatusBadRequest {
			status = fiber.StatusBadRequest
			body.Message = "Yêu cầu không đúng định dạng."
		}
	default:
		body.Code = domain.CodeInternal
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if body.Message == "" {
		body.Message = defaultMessage[body.Code]
	}
	level := slog.LevelDebug
	switch {
	case status >= 500 && body.Code != domain.CodeUnavailable:
		level = slog.LevelError
	case status >= 500:
		level = slog.LevelWarn
	}
	args := []any{"request_id", body.RequestID, "status", status, "code", body.Code, "error", err.Error()}
	if level < slog.LevelWarn {
		s.log.Log(c.UserContext(), level, "request failed", args...)
	} else if !s.failures.Log(c.UserContext(), level, "failure:"+strconv.Itoa(status)+":"+err.Error(), "request failed", args...) {
		c.Locals(localRepeated, true) // the access log leaves it out too
	}
	if body.Code == domain.CodeUnavailable {
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	if body.Code == domain.CodeUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="densach"`)
	}
	return c.Status(status).JSON(body)
}
