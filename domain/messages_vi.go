package domain

import (
	"fmt"
	"strings"
)

// Messages by code.
//
// Every user-facing error names its text by a stable snake_case name: a
// top-level message key (Error.Key, made with Fail) or a field code
// (FieldError.Code, made with FieldOf or Fields.AddOf). The server renders the
// Vietnamese text from messagesVI below into `message` (the default a client
// shows when it knows no better); the web app renders the same name from its
// own catalogues, frontend/src/lib/i18n/vi.ts and en.ts, as `err.<name>` with
// the same {param} placeholders. A key and a field code share one namespace: a
// name means one thing wherever it travels (AddErr turns a keyed error into a
// field error under its key).
//
// scripts/msgcodes' test reads every Go file with go/ast, checks that each
// name passed to Fail, FieldOf or AddOf (and each code still written the old
// way) has an entry here, and regenerates frontend/src/lib/i18n/server-codes.json,
// which a vitest checks against vi.ts and en.ts.
//
// The old constructors with a literal Vietnamese message (Errorf, Field,
// Fields.Add) are gone: scripts/msgconvert converted their call sites
// (`go run ./scripts/msgconvert` still lists any old-style site it finds).
// Import row errors (RowError) carry Code and Params the same way. A new
// message gets a new entry here, in vi.ts and in en.ts (then
// `go test ./scripts/msgcodes -run TestServerCodesFile -update`); the tests
// fail until all three have it. A name no site sends any more is deleted
// from all three.

// Params fill a message's {name} placeholders; values are strings or numbers.
type Params map[string]any

// KeyInvalidFields is the key of the top-level message of a validation error
// that carries field errors.
const KeyInvalidFields = "invalid_fields"

// Message renders the Vietnamese text for a message key or field code with
// params filled in. An unknown name gives "" (the API then answers the generic
// text of the error's code); the catalogue test keeps that from happening.
func Message(name string, params Params) string {
	t, ok := messagesVI[name]
	if !ok {
		return ""
	}
	return interpolate(t, params)
}

// HasMessage reports whether the catalogue has an entry for name.
func HasMessage(name string) bool {
	_, ok := messagesVI[name]
	return ok
}

// MessageNames returns every name of the catalogue with its template.
func MessageNames() map[string]string {
	out := make(map[string]string, len(messagesVI))
	for k, v := range messagesVI {
		out[k] = v
	}
	return out
}

// interpolate fills "{name}" placeholders; one without a value stays as it
// is, so that a missing parameter shows instead of vanishing.
func interpolate(t string, params Params) string {
	if len(params) == 0 {
		return t
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			break
		}
		v, ok := params[t[i+1:i+j]]
		if !ok {
			b.WriteString(t[:i+1])
			t = t[i+1:]
			continue
		}
		b.WriteString(t[:i])
		fmt.Fprint(&b, v)
		t = t[i+j+1:]
	}
	b.WriteString(t)
	return b.String()
}

// messagesVI is the one Vietnamese catalogue: message keys and field codes
// (one namespace) to templates with {param} placeholders. The generic entries
// named after the error codes are the texts of errors that name nothing finer.
var messagesVI = map[string]string{
	"page_size_out_of_range":   "Tham số page_size phải từ 1 đến {max}.",
	"page_out_of_range":        "Số trang phải từ 1, và theo số trang chỉ mở được {max} mục đầu danh sách; hãy đi tiếp bằng nút trang sau.",
	"cursor_unsupported":       "Danh sách này không phân trang theo con trỏ.",
	"cursor_with_page":         "Không dùng đồng thời page và cursor.",
	"cursor_invalid":           "Con trỏ trang không hợp lệ.",
	"required":                 "Cần có trường \"{field}\".",
	"too_short":                "Giá trị của trường \"{field}\" quá ngắn.",
	"out_of_range":             "Giá trị của trường \"{field}\" nằm ngoài khoảng cho phép.",
	"idempotency_key_invalid":  "Khoá Idempotency-Key phải gồm 1 đến 255 ký tự ASCII nhìn thấy được (ví dụ một UUID).",
	"idempotency_key_reused":   "Khoá Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy tạo khoá mới cho thao tác mới.",
	"idempotency_answer_lost":  "Thao tác với khoá này đã được lưu.",
	"idempotency_in_progress":  "Một yêu cầu cùng khoá đang chạy.",
	"password_change_required": "Mật khẩu này do người khác đặt: hãy đổi mật khẩu của riêng bạn.",
	"password_common":          "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác, ví dụ một câu ngắn dễ nhớ.",
	"text_invalid_bytes":       "Giá trị có ký tự không hợp lệ (ký tự NUL hoặc byte không phải mã UTF-8); hãy xoá ký tự đó rồi gửi lại.",
	// Generic, one per error code (api answers these when an error has no message).
	"invalid":      "Dữ liệu không hợp lệ.",
	"unauthorized": "Bạn cần đăng nhập lại.",
	"forbidden":    "Bạn không có quyền thực hiện thao tác này.",
	"not_found":    "Không tìm thấy.",
	"conflict":     "Dữ liệu bị trùng hoặc vừa thay đổi.",
	"rate_limited": "Bạn thao tác quá nhiều lần, vui lòng thử lại sau ít phút.",
	"too_large":    "Dữ liệu gửi lên quá lớn.",
	"unavailable":  "Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút.",
	"internal":     "Đã có lỗi trong hệ thống. Vui lòng thử lại; nếu vẫn lỗi, hãy báo cho quản trị viên.",

	// Top-level message keys.
	KeyInvalidFields:           "Dữ liệu không hợp lệ, vui lòng kiểm tra các trường được đánh dấu.",
	"bad_request":              "Yêu cầu không đúng định dạng.",
	"route_not_found":          "Không tìm thấy địa chỉ này.",
	"sign_in_required":         "Bạn cần đăng nhập.",
	"login_failed":             "Số điện thoại, số CCCD, e-mail hoặc mật khẩu không đúng.",
	"login_rate_limited":       "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
	"token_invalid":            "Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại.",
	"session_expired":          "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.",
	"password_changed":         "Mật khẩu vừa được thay đổi ở nơi khác, vui lòng đăng nhập lại.",
	"hash_busy":                "Hệ thống đang bận, vui lòng thử lại sau ít phút.",
	"body_too_large":           "Dữ liệu gửi lên quá lớn (tối đa {max_kb} KB).",
	"json_required":            "Nội dung gửi lên phải là JSON.",
	"json_trailing_data":       "Nội dung JSON có dữ liệu thừa ở cuối.",
	"json_string_too_long":     "Có một giá trị chữ quá dài (tối đa {max} ký tự).",
	"json_syntax":              "Nội dung JSON không đúng cú pháp (vị trí {offset}).",
	"json_unreadable":          "Nội dung JSON không đọc được.",
	"db_unavailable":           "Cơ sở dữ liệu tạm thời không trả lời, vui lòng thử lại sau ít phút.",
	"duplicate_record":         "Dữ liệu trùng với một bản ghi đã có.",
	"reference_missing":        "Dữ liệu tham chiếu tới một bản ghi không tồn tại.",
	"concurrent_change":        "Dữ liệu vừa được người khác thay đổi, vui lòng thử lại.",
	"person_not_found":         "Không tìm thấy người này.",
	"person_changed":           "Thông tin người này vừa được người khác sửa; hãy tải lại rồi sửa lại.",
	"person_read_only":         "Bạn chỉ được xem, không được sửa thông tin người này.",
	"person_create_forbidden":  "Bạn không có quyền thêm người.",
	"person_deactivate_self":   "Bạn không thể tự ngừng hoạt động của chính mình.",
	"person_merge_self":        "Bạn không thể gộp hồ sơ của chính mình vào người khác.",
	"person_merge_inactive":    "Chỉ gộp được hai người đang hoạt động.",
	"person_merge_accounts":    "Cả hai người đều có tài khoản đăng nhập: không thể gộp.",
	"merge_same_person":        "Hãy chọn một người khác để gộp.",
	"person_merged":            "Người này đã được gộp vào một người khác nên không thể hoạt động lại.",
	"commune_not_managed":      "Bạn không quản lý xã/phường này.",
	"new_commune_not_managed":  "Bạn không quản lý xã/phường mới này.",
	"audit_forbidden":          "Chỉ quản trị hệ thống được xem nhật ký thay đổi.",
	"grant_forbidden":          "Bạn không có quyền giao hoặc thu hồi vai trò này ở phạm vi này.",
	"role_not_held":            "Người này không có vai trò này.",
	"role_not_found":           "Không tìm thấy vai trò này.",
	"last_admin":               "Đây là quản trị viên cuối cùng của hệ thống; hãy giao quyền quản trị cho người khác trước.",
	"unit_not_found":           "Không tìm thấy đơn vị này.",
	"category_forbidden":       "Chỉ quản trị hệ thống được thêm hoặc sửa danh mục khóa học.",
	"category_not_found":       "Không tìm thấy danh mục khóa học này.",
	"category_code_invalid":    "Mã danh mục gồm 2 đến 40 chữ thường không dấu, chữ số hoặc dấu gạch dưới, bắt đầu bằng chữ cái.",
	"category_unknown":         "Không có danh mục khóa học này.",
	"mode_invalid":             "Hình thức học là trực tuyến, trực tiếp hoặc kết hợp.",
	"import_forbidden":         "Bạn không có quyền nhập danh sách người.",
	"import_too_large":         "Tệp quá lớn (tối đa {max_mb} MB); hãy chia thành nhiều tệp nhỏ hơn.",
	"import_content_type":      "Hãy gửi một tệp CSV (Content-Type text/csv hoặc biểu mẫu có trường file).",
	"csv_utf16":                "Tệp đang ở dạng UTF-16 (Unicode text). Hãy lưu lại dưới dạng \"CSV UTF-8\" rồi nhập lại.",
	"csv_not_utf8":             "Tệp không phải mã UTF-8 (có thể là Windows-1258 hoặc TCVN3). Trong Excel hãy chọn Lưu thành → \"CSV UTF-8 (phân cách bằng dấu phẩy)\" rồi nhập lại.",
	"csv_empty":                "Tệp trống hoặc dòng tiêu đề không đọc được.",
	"csv_unreadable":           "Không đọc được tệp CSV.",
	"csv_too_many_rows":        "Tệp có quá {max} dòng; hãy chia thành nhiều tệp nhỏ hơn.",
	"csv_duplicate_column":     "Cột \"{column}\" xuất hiện hai lần trong dòng tiêu đề.",
	"jobs_disabled":            "Hàng đợi công việc chưa được bật trên máy chủ này.",
	"objects_unavailable":      "Kho lưu trữ tệp tạm thời không truy cập được: chưa thể tải tệp lên hoặc tải về. Các chức năng khác vẫn hoạt động; vui lòng thử lại sau ít phút.",
	"object_not_found":         "Không tìm thấy tệp.",
	"disclosure_place_missing": "Thiếu nơi ghi nhận tra cứu.",
	"disclosure_limit":         "Hôm nay bạn đã nhận đủ {max} câu trả lời về số CCCD, số điện thoại hoặc e-mail của người ngoài quyền sửa của bạn; hãy thử lại vào ngày mai.",
	"enrol_centre_forbidden":   "Bạn không thể ghi danh học viên vào trung tâm này.",
	"enrol_forbidden":          "Bạn không thể ghi danh người này làm học viên của trung tâm đã chọn.",
	"csv_unknown_column":       "Cột «{column}» không được nhận nên đã bỏ qua.",
	"import_commune_required":  "Tệp không có cột mã xã (ma_xa): hãy chọn xã/phường để nhập vào.",
	"csv_missing_columns":      "Dòng tiêu đề thiếu cột bắt buộc: {columns}. Các cột được nhận: ho_ten, ngay_sinh, nam_sinh, gioi_tinh, dan_toc, ma_xa, thon (ban, to_dan_pho), cccd, so_dien_thoai, email, chuc_vu_hoi.",

	// Field codes: requests.
	"type":           "Giá trị của trường \"{field}\" không đúng kiểu.",
	"unknown_field":  "Trường \"{field}\" không được phép gửi lên.",
	"id_invalid":     "Tham số {name} phải là một số dương.",
	"int_invalid":    "Tham số {name} phải là một số nguyên.",
	"bool_invalid":   "Tham số {name} là true hoặc false.",
	"entity_invalid": "Loại đối tượng không hợp lệ.",
	"file_required":  "Hãy chọn tệp CSV để nhập.",

	// Field codes: sign-in and passwords.
	"login_required":     "Cần nhập số điện thoại, số CCCD hoặc e-mail.",
	"login_invalid":      "Hãy nhập số điện thoại, số CCCD hoặc địa chỉ e-mail.",
	"password_required":  "Cần nhập mật khẩu.",
	"password_same":      "Mật khẩu mới phải khác mật khẩu hiện tại.",
	"password_wrong":     "Mật khẩu hiện tại không đúng.",
	"password_too_short": "Mật khẩu phải có ít nhất {min} ký tự.",
	"password_too_long":  "Mật khẩu không được dài quá {max} ký tự.",
	"login_missing":      "Người này chưa có số điện thoại, số CCCD hay e-mail để đăng nhập; hãy thêm một trong số đó trước.",
	"own_password":       "Mật khẩu của chính bạn thì đổi ở trang Tài khoản.",

	// Field codes: people.
	"name_required":          "Cần nhập tên (tối đa {max} ký tự).",
	"name_too_long":          "Họ và tên không được dài quá {max} ký tự.",
	"name_invalid_chars":     "Họ và tên chỉ được gồm chữ cái, dấu cách, dấu gạch ngang, dấu nháy đơn và dấu chấm.",
	"text_too_long":          "Nội dung không được dài quá {max} ký tự.",
	"text_invalid_chars":     "Nội dung có ký tự điều khiển hoặc ký tự ẩn không hợp lệ.",
	"birth_date_nonexistent": "Ngày sinh {date} không có trên lịch: tháng đó không có ngày này.",
	"birth_date_format":      "Ngày sinh cần có dạng ngày/tháng/năm (ví dụ 05/09/1980) hoặc chỉ năm sinh.",
	"birth_year_range":       "Năm sinh phải từ 1900 đến năm hiện tại; ngày sinh không được ở tương lai.",
	"birth_year_format":      "Năm sinh phải là số có 4 chữ số.",
	"sex_invalid":            "Giới tính là Nam hoặc Nữ.",
	"staff_position_invalid": "Chức vụ hội là Chủ tịch, Phó Chủ tịch hoặc Ủy viên.",
	"email_invalid":          "Địa chỉ e-mail không hợp lệ.",
	"email_taken":            "Địa chỉ e-mail này đã thuộc về một người khác.",
	"phone_invalid_chars":    "Số điện thoại chỉ được gồm chữ số, dấu cách, dấu chấm, dấu gạch ngang và dấu ngoặc.",
	"phone_length":           "Số điện thoại phải có 10 chữ số.",
	"phone_prefix":           "Số điện thoại phải là số di động Việt Nam, bắt đầu bằng 03, 05, 07, 08 hoặc 09.",
	"phone_taken":            "Số điện thoại này đã thuộc về một người khác.",
	"cccd_invalid_chars":     "Số CCCD chỉ được gồm chữ số.",
	"cccd_length":            "Số CCCD phải có 12 chữ số (CMND cũ có 9 chữ số).",
	"cccd_province":          "Ba chữ số đầu của số CCCD không phải mã tỉnh nơi sinh hợp lệ.",
	"cccd_taken":             "Số CCCD này đã thuộc về một người khác.",
	"commune_required":       "Cần chọn xã/phường nơi cư trú.",
	"commune_unknown":        "Không có xã/phường/đặc khu hiện hành nào như vậy.",
	"commune_code_invalid":   "Mã xã/phường không hợp lệ.",
	"commune_out_of_scope":   "Bạn không quản lý xã/phường này.",
	"commune_code_unknown":   "Không có xã/phường hiện hành mang mã \"{code}\".",
	"no_communes":            "Chưa có xã/phường nào: hãy nạp danh mục đơn vị hành chính trước (densach units import).",

	// Field codes: the people import's rows.
	"csv_syntax":           "Dòng {row} sai định dạng CSV (dấu ngoặc kép không khớp?).",
	"duplicate_in_file":    "Dòng này trùng với dòng {first} của tệp.",
	"person_not_editable":  "Thông tin ở dòng này trùng với một người bạn không được sửa; dòng này không được áp dụng.",
	"identifiers_conflict": "Số CCCD và số điện thoại của dòng này thuộc về hai người khác nhau đã có trong hệ thống.",
	"ambiguous":            "Xã này có nhiều người cùng họ tên và năm sinh; hãy thêm CCCD hoặc số điện thoại để phân biệt.",

	// Field codes: roles.
	"role_invalid":              "Vai trò không hợp lệ.",
	"role_exists":               "Người này đã có vai trò này ở phạm vi này.",
	"admin_scope_not_allowed":   "Quản trị hệ thống không gắn với đơn vị hay trung tâm.",
	"learner_scope_not_allowed": "Học viên chỉ gắn với trung tâm (không bắt buộc).",
	"centre_required":           "Cần chọn trung tâm học tập cộng đồng.",
	"centre_unknown":            "Không tìm thấy trung tâm này.",

	// Field codes: units, centres, branches.
	"unit_required":         "Cần chọn tỉnh hoặc xã/phường.",
	"commune_unit_required": "Cần chọn xã/phường.",
	"unit_unknown":          "Không tìm thấy đơn vị này.",
	"unit_code_unknown":     "Không có tỉnh hoặc xã/phường hiện hành mang mã \"{code}\".",
	"unit_kind":             "Chỉ chọn được tỉnh hoặc xã/phường/đặc khu còn hiệu lực.",
	"officer_unit_kind":     "Cán bộ khuyến học gắn với một tỉnh hoặc một xã/phường.",
	"centre_unit_kind":      "Trung tâm và chi hội thuộc một xã/phường/đặc khu.",
	"code_required":         "Cần nhập mã đơn vị (tối đa {max} ký tự).",
	"code_taken":            "Mã đơn vị đã được dùng.",
	"centre_name_taken":     "Xã/phường này đã có trung tâm cùng tên.",
	"branch_name_taken":     "Xã/phường này đã có chi hội cùng tên.",
	"kind_invalid":          "Loại đơn vị không hợp lệ.",
	"parent_invalid":        "Tỉnh không có đơn vị cấp trên; xã/phường phải thuộc một tỉnh.",
	"date_invalid":          "Ngày hiệu lực cần có dạng năm-tháng-ngày (ví dụ 2025-07-01).",
	"too_many":              "Quá nhiều phần tử (tối đa {max}).",
	"predecessor_invalid":   "Đơn vị tiền thân phải là đơn vị đang có hiệu lực và bắt đầu trước đơn vị mới.",
	"predecessor_unknown":   "Đơn vị tiền thân không tồn tại hoặc trùng với đơn vị kế thừa.",
	"predecessors_count":    "Cần từ {min} đến {max} đơn vị tiền thân.",
	"successor_ended":       "Đơn vị kế thừa phải còn hiệu lực.",
	"parent_unknown":        "Không có đơn vị cấp trên này.",
	"parent_not_province":   "Xã, phường, đặc khu phải thuộc một tỉnh.",
	"parent_ended":          "Đơn vị cấp trên đã hết hiệu lực: không thể đặt đơn vị mới vào đó.",

	// Field codes: the official list of administrative units (units import).
	"file_too_long":        "Danh mục dài quá {max} dòng.",
	"header_missing":       "Không thấy dòng tiêu đề có cột \"Mã\" và \"Tên\" của danh mục.",
	"level_column_missing": "Thiếu cột \"Cấp\" của danh mục.",

	// Field codes: background jobs.
	"state_invalid":      "Trạng thái công việc không hợp lệ.",
	"limit_out_of_range": "Số dòng mỗi trang phải từ {min} đến {max}.",
	"job_not_retryable":  "Chỉ chạy lại được công việc bị lỗi hoặc đã huỷ.",

	// Course materials.
	"material_type_not_allowed":   "Loại tệp này không được nhận. Chỉ nhận PDF, ảnh JPEG/PNG/WebP, video MP4/WebM, âm thanh MP3/M4A/OGG và tài liệu Word, Excel, PowerPoint (DOCX, XLSX, PPTX), ODT, ODS.",
	"material_extension_mismatch": "Tên tệp không khớp với loại tệp: cần đuôi {extensions}.",
	"file_name_required":          "Cần có tên tệp.",
	"material_size_required":      "Cần cho biết dung lượng tệp (lớn hơn 0 byte).",
	"material_too_large":          "Tệp quá lớn: tối đa {limit} cho loại tệp này.",
	"storage_quota_exceeded":      "Không đủ dung lượng lưu trữ: đã dùng {used_text} trên {quota_text}; tệp này cần {size_text}. Hãy xoá bớt tệp không dùng.",
	"material_not_yours":          "Chỉ người đã tải tệp lên mới xác nhận được tệp này.",
	"material_not_uploaded":       "Tệp chưa được tải lên xong; hãy tải lên rồi thử lại.",
	"material_size_mismatch":      "Dung lượng tệp đã tải lên khác với dung lượng đã khai báo; tệp đã bị xoá.",
	"material_content_mismatch":   "Nội dung tệp không đúng với loại tệp đã khai báo (ví dụ một tệp chương trình đổi tên thành .pdf); tệp đã bị xoá.",
	"material_not_ready":          "Tệp chưa được xác nhận nên chưa tải về được.",
	"material_in_use":             "Tệp đang được dùng trong bài học hoặc làm ảnh bìa; hãy gỡ khỏi bài học trước khi xoá.",
	"storage_owner_required":      "Cần chọn đúng một trung tâm (centre_id) hoặc một tỉnh (province_id).",

	// Field codes: stored files.
	"object_key":      "Mã tệp không hợp lệ.",
	"object_prefix":   "Thư mục tệp không hợp lệ.",
	"content_type":    "Loại tệp không hợp lệ.",
	"size_range":      "Giới hạn dung lượng tệp không hợp lệ.",
	"presign_expiry":  "Thời hạn liên kết tải lên không hợp lệ.",
	"download_expiry": "Thời hạn liên kết tải về không hợp lệ.",
	"read_length":     "Độ dài cần đọc không hợp lệ.",
	"list_limit":      "Số lượng tệp cần liệt kê không hợp lệ.",

	// Top-level keys and field codes added with the conversion.
	"operation_answer_lost":     "Thao tác này đã được thực hiện nhưng câu trả lời bị mất; hãy tải lại trang để xem kết quả.",
	"operation_in_progress":     "Thao tác này đang được xử lý; hãy chờ giây lát rồi tải lại.",
	"password_change_first":     "Bạn cần đổi mật khẩu được cấp trước khi tiếp tục.",
	"request_invalid":           "Nội dung gửi lên không đúng với mô tả của API.",
	"value_invalid":             "Giá trị của \"{field}\" không hợp lệ.",
	"format_invalid":            "Giá trị của trường \"{field}\" không đúng định dạng.",
	"unit_row_level_unknown":    "Dòng {row}: cấp \"{level}\" không rõ.",
	"unit_row_code_missing":     "Dòng {row}: thiếu mã đơn vị.",
	"unit_row_province_missing": "Dòng {row}: thiếu mã tỉnh (cột Mã TP).",
	"unit_row_name_missing":     "Dòng {row}: thiếu tên đơn vị.",
	"unit_row_date_invalid":     "Dòng {row}: ngày \"{value}\" cần có dạng năm-tháng-ngày.",
	"unit_row_end_missing":      "Dòng {row}: đơn vị đã sáp nhập cần ngày hết hiệu lực.",

	// Courses: courses, versions, tags, modules and lessons (issue 9).
	"course_not_found":         "Không tìm thấy khóa học này.",
	"course_read_only":         "Bạn chỉ được xem, không được sửa khóa học này.",
	"course_no_draft":          "Khóa học chưa có bản nháp: hãy mở bản nháp để sửa.",
	"course_version_published": "Phiên bản này đã xuất bản nên không sửa được; hãy sửa bản nháp.",
	"course_version_not_found": "Không tìm thấy phiên bản này của khóa học.",
	"version_invalid":          "Phiên bản phải là draft, published hoặc một số thứ tự.",
	"course_owner_required":    "Hãy chọn đúng một nơi sở hữu: một trung tâm hoặc thư viện của một tỉnh.",
	"course_province_invalid":  "Thư viện khóa học chỉ thuộc một tỉnh còn hiệu lực.",
	"centre_not_found":         "Không tìm thấy trung tâm này.",
	"course_title_required":    "Cần nhập tên khóa học (tối đa {max} ký tự).",
	"course_category_required": "Hãy chọn lĩnh vực của khóa học.",
	"course_category_unknown":  "Lĩnh vực này không có hoặc đã ngừng dùng.",
	"course_hours_invalid":     "Số giờ phải lớn hơn 0 và không quá {max}.",
	"course_cover_invalid":     "Ảnh bìa phải là một tệp ảnh đã tải lên của khóa học này.",
	"status_invalid":           "Trạng thái không hợp lệ.",
	"tag_duplicate":            "Mỗi năng lực chỉ được gắn một lần.",
	"tag_competence_unknown":   "Không có năng lực này trong khung năng lực.",
	"tag_level_invalid":        "Mức này không có trong khung của năng lực đã chọn.",
	"course_draft_only":        "Khóa học chưa từng xuất bản: hãy xóa khóa học thay vì bỏ bản nháp.",
	"course_not_published":     "Khóa học chưa được xuất bản.",
	"course_not_archived":      "Khóa học không ở trạng thái lưu trữ.",
	"course_published":         "Khóa học đã xuất bản nên không xóa được; hãy lưu trữ nó.",
	"course_empty":             "Khóa học cần ít nhất một bài học trước khi xuất bản.",
	"course_copy_not_library":  "Chỉ sao chép được khóa học của thư viện tỉnh.",
	"course_copy_province":     "Chỉ sao chép được vào trung tâm thuộc tỉnh của thư viện.",
	"module_not_found":         "Không tìm thấy chương này.",
	"module_title_required":    "Cần nhập tên chương (tối đa {max} ký tự).",
	"lesson_not_found":         "Không tìm thấy bài học này.",
	"lesson_title_required":    "Cần nhập tên bài học (tối đa {max} ký tự).",
	"lesson_kind_invalid":      "Loại bài học không hợp lệ.",
	"lesson_url_invalid":       "Đường dẫn phải bắt đầu bằng http:// hoặc https:// (tối đa {max} ký tự).",
	"lesson_url_required":      "Cần nhập đường dẫn.",

	// Enrolments and progress (issue 10).
	"enrolment_not_found":          "Không tìm thấy lượt ghi danh này.",
	"enrolment_not_own":            "Chỉ học viên mới ghi được tiến độ học của mình.",
	"enrolment_course_not_open":    "Khóa học chưa mở để ghi danh (chưa xuất bản hoặc đã lưu trữ).",
	"enrolment_course_not_online":  "Khóa học này chỉ học trực tiếp: hãy ghi danh vào một lớp.",
	"enrolment_not_live":           "Lượt ghi danh này đã rút.",
	"enrolment_exists":             "Người này đã ghi danh khóa học (lớp học) này rồi.",
	"progress_batch_empty":         "Không có sự kiện tiến độ nào để ghi.",
	"progress_batch_too_large":     "Mỗi lần gửi tối đa {max} sự kiện tiến độ.",
	"progress_lesson_not_enrolled": "Bài học này không thuộc phiên bản khóa học đã ghi danh.",
	"progress_value_invalid":       "Giá trị tiến độ không hợp lệ (âm hoặc quá lớn).",
	"progress_quiz_completion":     "Bài kiểm tra chỉ hoàn thành khi làm đạt.",
	"progress_kind_invalid":        "Loại sự kiện phải là open, heartbeat hoặc complete.",
	"progress_at_future":           "Thời điểm của sự kiện ở tương lai: hãy kiểm tra đồng hồ của máy.",
	"sort_invalid":                 "Cách sắp xếp không hợp lệ.",

	"lesson_url_not_allowed":       "Loại bài học này không có đường dẫn.",
	"lesson_material_required":     "Hãy tải lên hoặc chọn tệp cho bài học.",
	"lesson_material_not_allowed":  "Loại bài học này không có tệp.",
	"lesson_video_source":          "Bài video cần đúng một nguồn: tệp tải lên hoặc đường dẫn.",
	"lesson_material_invalid":      "Tệp phải là tệp đã tải lên xong của khóa học này, đúng loại của bài học.",
	"structure_duplicate":          "Một chương hoặc bài học xuất hiện hai lần trong thứ tự.",
	"structure_mismatch":           "Thứ tự gửi lên không khớp với các chương và bài học hiện có; hãy tải lại trang.",
	"list_unreadable":              "Không đọc được tệp danh mục: hãy gửi tệp CSV (UTF-8) hoặc XLSX.",
	"list_content_type":            "Hãy gửi tệp danh mục dạng CSV hoặc XLSX (Content-Type text/csv, tệp XLSX, hoặc biểu mẫu có trường file).",
	"quiz_question_not_found":      "Không tìm thấy câu hỏi này.",
	"quiz_lesson_not_quiz":         "Bài học này không phải bài kiểm tra.",
	"quiz_staff_only":              "Chỉ cán bộ của khóa học mới xem được phần này.",
	"quiz_not_enrolled":            "Bạn cần ghi danh vào khóa học này để làm bài kiểm tra.",
	"quiz_empty":                   "Bài kiểm tra chưa có câu hỏi.",
	"quiz_attempt_limit":           "Bạn đã dùng hết số lần làm bài.",
	"quiz_attempt_not_found":       "Không tìm thấy lượt làm bài này.",
	"quiz_already_submitted":       "Lượt làm bài này đã được nộp.",
	"quiz_attempt_conflict":        "Một lượt làm bài khác vừa bắt đầu; hãy tải lại trang.",
	"quiz_prompt_required":         "Cần nhập nội dung câu hỏi.",
	"quiz_options_count":           "Câu hỏi lựa chọn cần từ {min} đến {max} phương án.",
	"quiz_option_invalid":          "Phương án không được để trống và tối đa {max} ký tự.",
	"quiz_correct_invalid":         "Đáp án đúng phải là các phương án có trong câu hỏi, không lặp lại.",
	"quiz_correct_one":             "Câu hỏi một lựa chọn cần đúng một đáp án đúng.",
	"quiz_correct_some":            "Câu hỏi nhiều lựa chọn cần ít nhất một đáp án đúng.",
	"quiz_answer_required":         "Cần nhập đáp án đúng.",
	"quiz_tolerance_invalid":       "Sai số cho phép phải là số không âm.",
	"quiz_kind_invalid":            "Loại câu hỏi không hợp lệ.",
	"quiz_pass_percent_invalid":    "Điểm đạt phải từ 0 đến 100%.",
	"quiz_attempt_limit_invalid":   "Số lần làm bài tối đa từ 0 (không giới hạn) đến {max}.",
	"quiz_time_limit_invalid":      "Thời gian làm bài là 0 (không giới hạn) hoặc từ {min} đến {max} giây.",
	"quiz_question_not_in_bank":    "Câu hỏi không có trong ngân hàng câu hỏi của khóa học (hoặc bị chọn hai lần).",
	"quiz_too_many_questions":      "Một bài kiểm tra có tối đa {max} câu hỏi.",
	"quiz_question_not_in_attempt": "Câu hỏi này không thuộc lượt làm bài.",
	"quiz_answer_twice":            "Mỗi câu hỏi chỉ được trả lời một lần.",
	"quiz_choice_invalid":          "Phương án đã chọn không có trong câu hỏi.",
	// Classes: venues, shared teachers, classes, sessions, holidays (issue 11).
	"venue_not_found":            "Không tìm thấy địa điểm này.",
	"venue_name_taken":           "Trung tâm đã có địa điểm mang tên này.",
	"venue_not_at_centre":        "Địa điểm phải là địa điểm đang dùng của trung tâm mở lớp.",
	"venue_online_class":         "Lớp học trực tuyến không có địa điểm.",
	"venue_required":             "Buổi học trực tiếp cần có địa điểm (của buổi học hoặc của lớp).",
	"capacity_invalid":           "Sức chứa là số người từ 1 đến {max}.",
	"computers_invalid":          "Số máy tính từ 0 đến 10000.",
	"class_not_found":            "Không tìm thấy lớp học này.",
	"class_closed":               "Lớp học đã kết thúc hoặc đã huỷ nên không sửa được.",
	"enrolment_window_closed":    "Lớp học này hiện không nhận ghi danh: lớp chưa mở đăng ký hoặc đã ngoài thời gian ghi danh.",
	"enrolment_wider_role":       "Bạn không thể ghi danh người giữ vai trò cao hơn vai trò của mình.",
	"class_course_not_published": "Chọn một khóa học đã xuất bản mà bạn xem được.",
	"class_course_elsewhere":     "Khóa học phải là của trung tâm này hoặc thuộc thư viện của tỉnh.",
	"class_status_invalid":       "Trạng thái lớp là dự kiến, đang tuyển, đang học, đã kết thúc hoặc đã huỷ.",
	"class_status_move":          "Không chuyển được lớp từ trạng thái {from} sang {to}.",
	"ends_before_start":          "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
	"percent_invalid":            "Tỉ lệ phần trăm từ 0 đến 100.",
	"meeting_url_invalid":        "Đường dẫn phòng học trực tuyến phải bắt đầu bằng http:// hoặc https:// (tối đa 500 ký tự).",
	"meeting_url_required":       "Buổi học trực tuyến cần đường dẫn phòng học (của buổi học hoặc của lớp).",
	"teacher_not_found":          "Người này không phải giáo viên của trung tâm nào.",
	"teacher_not_at_centre":      "Người này không phải giáo viên của trung tâm cho mượn.",
	"teacher_not_shared":         "Giáo viên thuộc trung tâm khác và trung tâm đó chưa đồng ý cho dạy ở đây.",
	"teacher_not_in_class":       "Giáo viên của buổi học phải là giáo viên của lớp.",
	"teacher_share_not_found":    "Không tìm thấy thỏa thuận chia sẻ giáo viên này.",
	"teacher_share_exists":       "Đã có thỏa thuận cho giáo viên này dạy ở trung tâm đó.",
	"session_not_found":          "Không tìm thấy buổi học này.",
	"session_cancelled":          "Buổi học đã huỷ nên không sửa được.",
	"feed_not_found":             "Không tìm thấy liên kết lịch này (có thể đã bị thu hồi).",
	"feed_subject_not_found":     "Không tìm thấy người này.",
	"feed_not_allowed":           "Bạn không được tạo liên kết lịch cho mục này.",
	"feed_kind_invalid":          "Loại lịch phải là lớp, giáo viên, học viên hoặc địa điểm.",
	"feed_limit":                 "Bạn đã có {max} liên kết lịch; hãy thu hồi bớt liên kết không dùng.",
	"attendance_session_future":  "Buổi học chưa đến ngày: chỉ điểm danh được buổi học của hôm nay hoặc đã qua.",
	"attendance_batch_too_large": "Mỗi lần gửi tối đa {max} học viên.",
	"attendance_duplicate":       "Học viên này đã có ở dòng {row}.",
	"attendance_status_invalid":  "Trạng thái điểm danh là có mặt, đi muộn, vắng có phép hoặc vắng.",
	"attendance_version_invalid": "Phiên bản của điểm danh không hợp lệ.",
	"attendance_not_enrolled":    "Người này không phải học viên của lớp.",
	"attendance_conflict":        "{count} điểm danh đã được người khác sửa trong lúc bạn làm; hãy xem lại rồi gửi lại.",
	"attendance_weight_invalid":  "Trọng số là số từ 0 đến 1.",
	"register_format_invalid":    "Sổ điểm danh chỉ tải được dạng PDF hoặc Excel (XLSX).",
	"checkin_code_invalid":       "Mã điểm danh gồm {length} chữ và số, ví dụ 7KQ2-M9XD.",
	"checkin_code_wrong":         "Mã không đúng. Hãy nhập lại mã đang hiện trên điện thoại của giáo viên.",
	"checkin_code_expired":       "Mã đã hết hạn (mã đổi sau mỗi 30 giây). Hãy nhập mã đang hiện trên điện thoại của giáo viên.",
	"checkin_closed":             "Buổi học đã kết thúc nên không điểm danh bằng mã được nữa; hãy báo giáo viên.",
	"checkin_not_open":           "Chưa đến giờ điểm danh: mở từ {time}.",
	"online_join_not_open":       "Chưa đến giờ vào buổi học trực tuyến: mở từ {time}.",
	"online_join_closed":         "Buổi học trực tuyến đã kết thúc.",
	"online_session_not_online":  "Buổi học này học trực tiếp, không có phòng học trực tuyến.",
	"checkin_other_session":      "Mã này là của buổi học khác, không phải buổi học của lớp bạn. Hãy quét mã trong lớp của mình.",
	"checkin_not_enrolled":       "Bạn không có tên trong lớp của buổi học này nên không điểm danh bằng mã này được.",
	"checkin_too_many_attempts":  "Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút hoặc báo giáo viên điểm danh giúp.",
	"session_conflict":           "Trùng lịch: địa điểm hoặc giáo viên đã có buổi học khác vào thời gian này.",
	"session_outside_class":      "Buổi học phải nằm trong thời gian của lớp ({from} đến {to}).",
	"sessions_outside_dates":     "Lớp còn {count} buổi học ngoài thời gian mới (buổi đầu: {first}). Hãy dời hoặc hủy các buổi đó trước.",
	"capacity_below_enrolled":    "Lớp đã có {count} học viên; sức chứa không thể nhỏ hơn số đó.",
	"session_mode_invalid":       "Buổi học là trực tiếp hoặc trực tuyến.",
	"session_mode_class":         "Hình thức của buổi học không hợp với hình thức của lớp.",
	"range_invalid":              "Khoảng thời gian không hợp lệ (tối đa {max} ngày).",
	"calendar_too_many":          "Quá nhiều buổi học để hiện một lần (tối đa {max}): chọn một trung tâm hoặc khoảng thời gian ngắn hơn.",
	"weekdays_required":          "Chọn ít nhất một ngày trong tuần.",
	"weekday_invalid":            "Ngày trong tuần là số từ 1 (thứ Hai) đến 7 (Chủ nhật).",
	"start_time_invalid":         "Giờ bắt đầu có dạng giờ:phút, ví dụ 18:30.",
	"duration_invalid":           "Thời lượng một buổi từ {min} đến {max} phút.",
	"recurrence_end_required":    "Chọn một trong hai: đến ngày, hoặc số buổi.",
	"until_before_from":          "Ngày kết thúc lặp phải từ ngày bắt đầu trở đi.",
	"recurrence_too_many":        "Lịch lặp tạo quá nhiều buổi học (tối đa {max}).",
	"recurrence_empty":           "Lịch lặp không tạo được buổi học nào (mọi ngày đều là ngày nghỉ hoặc không có ngày nào phù hợp).",
	"holiday_not_found":          "Không tìm thấy ngày nghỉ này.",
	"holiday_exists":             "Ngày này đã là ngày nghỉ.",
	"province_not_found":         "Không tìm thấy tỉnh này.",
	"year_invalid":               "Năm từ 1900 đến 2199.",
}
