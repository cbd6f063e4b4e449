<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>ApiConsole</name>
    <message>
        <source>This token was not granted the &apos;%1&apos; scope that this request needs (granted: %2): Tiki will answer 403. Authorize again with &apos;%1&apos; in the scope, once the app is approved for it in Tiki&apos;s console.</source>
        <translation>Token này chưa được cấp scope &apos;%1&apos; mà yêu cầu này cần (đã cấp: %2): Tiki sẽ trả về 403. Hãy cấp quyền lại với &apos;%1&apos; trong scope, sau khi ứng dụng đã được duyệt scope này trên trang quản lý của Tiki.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <source>Replace %1 in the path with a value first: nothing was sent.</source>
        <translation>Hãy thay %1 trong đường dẫn bằng giá trị thật: chưa gửi gì.</translation>
    </message>
    <message>
        <source>The body is not valid JSON: nothing was sent. %1</source>
        <translation>Body chưa phải JSON hợp lệ: chưa gửi gì. %1</translation>
    </message>
    <message>
        <source>Pick a seller with a stored token first.</source>
        <translation>Hãy chọn trước một Nhà bán có token đã lưu.</translation>
    </message>
    <message>
        <source>%1 changes data on Tiki, for real on production: nothing was sent. Switch on “Allow writes” to send it (you will be asked to confirm).</source>
        <translation>%1 làm thay đổi dữ liệu trên Tiki, trên production là thay đổi thật: chưa có gì được gửi đi. Hãy bật “Cho phép ghi” để gửi (bạn sẽ được hỏi xác nhận).</translation>
    </message>
    <message>
        <source>Send a write</source>
        <translation>Gửi yêu cầu ghi</translation>
    </message>
    <message>
        <source>Send %1 %2 as seller %3? It changes the seller&apos;s data on %4 for real.</source>
        <translation>Gửi %1 %2 với tư cách Nhà bán %3? Yêu cầu này sẽ thay đổi dữ liệu thật của Nhà bán trên %4.</translation>
    </message>
    <message>
        <source>Cancelled: the answer was not read (what Tiki did with it is unknown).</source>
        <translation>Đã hủy: phản hồi chưa được đọc (không rõ Tiki đã xử lý yêu cầu ra sao).</translation>
    </message>
    <message>
        <source>Refreshing the token of %1…</source>
        <translation>Đang làm mới token của %1…</translation>
    </message>
    <message>
        <source>Save the profile first.</source>
        <translation>Hãy lưu hồ sơ trước.</translation>
    </message>
    <message>
        <source>The client secret is not known: enter it first.</source>
        <translation>Chưa có client secret: hãy nhập client secret trước.</translation>
    </message>
    <message>
        <source>%1 code</source>
        <translation>đoạn mã %1</translation>
    </message>
    <message>
        <source>(with live secrets)</source>
        <translation>(kèm thông tin bí mật thật)</translation>
    </message>
    <message>
        <source>Token exported to %1 (it holds a live token).</source>
        <translation>Đã xuất token ra %1 (tệp chứa token còn hiệu lực).</translation>
    </message>
    <message>
        <source>%1 copied to the clipboard.</source>
        <translation>Đã sao chép %1 vào bộ nhớ tạm.</translation>
    </message>
</context>
<context>
    <name>ApiConsoleDock</name>
    <message>
        <source>Seller API</source>
        <translation>API Nhà bán</translation>
    </message>
    <message>
        <source>Stored tokens and seller API</source>
        <translation>Token đã lưu và API Nhà bán</translation>
    </message>
    <message>
        <source>Try the API with this seller</source>
        <translation>Thử gọi API với Nhà bán này</translation>
    </message>
</context>
<context>
    <name>ApiConsolePanel</name>
    <message>
        <source>The seller (sellers/me)</source>
        <translation>Nhà bán (sellers/me)</translation>
    </message>
    <message>
        <source>The seller the token belongs to: id, name, active, operation models.</source>
        <translation>Nhà bán sở hữu token: id, tên, trạng thái hoạt động, mô hình vận hành.</translation>
    </message>
    <message>
        <source>The seller&apos;s warehouses</source>
        <translation>Kho của Nhà bán</translation>
    </message>
    <message>
        <source>Warehouses Tiki picks up from (requisition) or returns to (withdrawal).</source>
        <translation>Các kho Tiki lấy hàng (nhập kho) hoặc trả hàng về (rút hàng).</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Sản phẩm</translation>
    </message>
    <message>
        <source>The seller&apos;s latest products; include=inventory adds stock per warehouse.</source>
        <translation>Sản phẩm mới nhất của Nhà bán; include=inventory kèm tồn kho theo từng kho.</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Đơn hàng</translation>
    </message>
    <message>
        <source>The seller&apos;s orders (Order API v2), latest first.</source>
        <translation>Đơn hàng của Nhà bán (Order API v2), mới nhất trước.</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Danh mục</translation>
    </message>
    <message>
        <source>Tiki&apos;s category tree; parent=ID lists one category&apos;s children.</source>
        <translation>Cây danh mục của Tiki; parent=ID liệt kê các danh mục con của một danh mục.</translation>
    </message>
    <message>
        <source>Confirm a drop-ship order&apos;s stock</source>
        <translation>Xác nhận đủ hàng cho đơn Dropship</translation>
    </message>
    <message>
        <source>A write: tells Tiki the order&apos;s items are in stock (or not) and which warehouse to pick them up from. Put the order&apos;s code in the path and a warehouse id in the body.</source>
        <translation>Lệnh ghi: báo Tiki sản phẩm trong đơn còn hàng (hoặc không) và kho nào để Tiki đến lấy hàng. Điền mã đơn hàng vào đường dẫn và mã kho vào body.</translation>
    </message>
    <message>
        <source>Seller API console</source>
        <translation>Công cụ gọi API Nhà bán</translation>
    </message>
    <message>
        <source>Seller whose token is sent</source>
        <translation>Nhà bán có token được dùng để gửi yêu cầu</translation>
    </message>
    <message>
        <source>Ready-made request</source>
        <translation>Yêu cầu có sẵn</translation>
    </message>
    <message>
        <source>Custom path</source>
        <translation>Đường dẫn tùy chỉnh</translation>
    </message>
    <message>
        <source>needs scope %1</source>
        <translation>cần scope %1</translation>
    </message>
    <message>
        <source>no scope needed</source>
        <translation>không cần scope</translation>
    </message>
    <message>
        <source>HTTP method</source>
        <translation>Phương thức HTTP</translation>
    </message>
    <message>
        <source>Allow writes</source>
        <translation>Cho phép ghi</translation>
    </message>
    <message>
        <source>Allow methods other than GET</source>
        <translation>Cho phép các phương thức khác ngoài GET</translation>
    </message>
    <message>
        <source>A write changes the seller&apos;s data on Tiki for real; each is confirmed</source>
        <translation>Yêu cầu ghi sẽ thay đổi dữ liệu thật của Nhà bán trên Tiki; lần gửi nào cũng phải xác nhận</translation>
    </message>
    <message>
        <source>Path under the API base</source>
        <translation>Đường dẫn nằm sau URL gốc của API</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <source>Send the request</source>
        <translation>Gửi yêu cầu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Cancel the request</source>
        <translation>Hủy yêu cầu</translation>
    </message>
    <message>
        <source>HTTP status code</source>
        <translation>Mã trạng thái HTTP</translation>
    </message>
    <message>
        <source>Time taken</source>
        <translation>Thời gian thực hiện</translation>
    </message>
    <message>
        <source>What Tiki&apos;s answer means</source>
        <translation>Ý nghĩa phản hồi của Tiki</translation>
    </message>
    <message>
        <source>Refresh the token</source>
        <translation>Làm mới token</translation>
    </message>
    <message>
        <source>Refresh this seller&apos;s token</source>
        <translation>Làm mới token của Nhà bán này</translation>
    </message>
    <message>
        <source>Response body as text</source>
        <translation>Body của phản hồi dạng văn bản</translation>
    </message>
    <message>
        <source>Response headers</source>
        <translation>Header của phản hồi</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>The console&apos;s requests and answers (secrets masked)</source>
        <translation>Các yêu cầu và phản hồi của công cụ gọi API (đã che thông tin bí mật)</translation>
    </message>
    <message>
        <source>Console timeline</source>
        <translation>Diễn biến các lượt gọi API</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Phản hồi</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Body</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Diễn biến</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Sao chép dạng curl</translation>
    </message>
    <message>
        <source>Copy the request as a curl command</source>
        <translation>Sao chép yêu cầu dưới dạng lệnh curl</translation>
    </message>
    <message>
        <source>The token is written as $TIKI_ACCESS_TOKEN</source>
        <translation>Token được ghi dưới dạng biến $TIKI_ACCESS_TOKEN</translation>
    </message>
    <message>
        <source>Copy as code</source>
        <translation>Sao chép dạng đoạn mã</translation>
    </message>
    <message>
        <source>Copy as…</source>
        <translation>Sao chép dạng…</translation>
    </message>
    <message>
        <source>Export token…</source>
        <translation>Xuất token…</translation>
    </message>
    <message>
        <source>Export the seller&apos;s token for Postman, Insomnia or Bruno</source>
        <translation>Xuất token của Nhà bán để dùng trong Postman, Insomnia hoặc Bruno</translation>
    </message>
    <message>
        <source>Seller</source>
        <translation>Nhà bán</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Yêu cầu</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Sent to %1</source>
        <translation>Gửi đến %1</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>đang gửi</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 byte</translation>
    </message>
    <message>
        <source>(text shown in part)</source>
        <translation>(chỉ hiển thị một phần văn bản)</translation>
    </message>
    <message>
        <source>Tiki said: %1</source>
        <translation>Tiki báo: %1</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>{app} — sandbox</source>
        <translation>{app} — sandbox</translation>
    </message>
</context>
<context>
    <name>AuthorizationFlow</name>
    <message>
        <source>Client credentials grant for client {client_id}</source>
        <translation>Client credentials grant cho client {client_id}</translation>
    </message>
    <message>
        <source>Waiting for the redirect URL to be pasted</source>
        <translation>Đang chờ dán URL chuyển hướng</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <source>A pasted URL was refused</source>
        <translation>URL vừa dán bị từ chối</translation>
    </message>
    <message>
        <source>A pasted URL was not the redirect of this sign-in</source>
        <translation>URL vừa dán không phải là chuyển hướng của lần đăng nhập này</translation>
    </message>
    <message>
        <source>The pasted URL carries an error</source>
        <translation>URL vừa dán chứa một lỗi</translation>
    </message>
    <message>
        <source>Listening for the redirect on {host} port {port}</source>
        <translation>Đang chờ chuyển hướng tại {host}, cổng {port}</translation>
    </message>
    <message>
        <source>Stopped listening</source>
        <translation>Đã ngừng chờ</translation>
    </message>
    <message>
        <source>Refused a request to the redirect URI ({count} so far): {reason}</source>
        <translation>Đã từ chối một yêu cầu gửi đến redirect URI (tính đến nay: {count}): {reason}</translation>
    </message>
    <message>
        <source>Tokens received</source>
        <translation>Đã nhận token</translation>
    </message>
</context>
<context>
    <name>AuthorizeBar</name>
    <message>
        <source>Authorize</source>
        <translation>Cấp quyền</translation>
    </message>
    <message>
        <source>Open Tiki&apos;s sign-in and consent page in this window</source>
        <translation>Mở trang đăng nhập và cấp quyền của Tiki trong cửa sổ này</translation>
    </message>
    <message>
        <source>Why Authorize is disabled</source>
        <translation>Lý do chưa thể Cấp quyền</translation>
    </message>
    <message>
        <source>Open Tiki&apos;s sign-in and consent page (%1)</source>
        <translation>Mở trang đăng nhập và cấp quyền của Tiki (%1)</translation>
    </message>
    <message>
        <source>Open Tiki&apos;s sign-in and consent page</source>
        <translation>Mở trang đăng nhập và cấp quyền của Tiki</translation>
    </message>
    <message>
        <source>Requests a token for the app itself: no browser, no refresh token.</source>
        <translation>Lấy token cho chính ứng dụng: không cần trình duyệt, không có refresh token.</translation>
    </message>
    <message>
        <source>Opens Tiki&apos;s sign-in page in your default browser; this app gets the redirect.</source>
        <translation>Mở trang đăng nhập Tiki trong trình duyệt mặc định; ứng dụng này sẽ nhận chuyển hướng.</translation>
    </message>
    <message>
        <source>Opens Tiki&apos;s sign-in page in your default browser; then paste where it lands.</source>
        <translation>Mở trang đăng nhập Tiki trong trình duyệt mặc định; sau đó dán địa chỉ trang cuối cùng.</translation>
    </message>
    <message>
        <source>Opens Tiki&apos;s sign-in page in this window.</source>
        <translation>Mở trang đăng nhập Tiki ngay trong cửa sổ này.</translation>
    </message>
</context>
<context>
    <name>ConsentBrowser</name>
    <message>
        <source>Tiki sign-in and consent page</source>
        <translation>Trang đăng nhập và cấp quyền của Tiki</translation>
    </message>
    <message>
        <source>Page loading progress</source>
        <translation>Tiến trình tải trang</translation>
    </message>
    <message>
        <source>The certificate of {host} was rejected: {reason}</source>
        <translation>Chứng chỉ của {host} bị từ chối: {reason}</translation>
    </message>
    <message>
        <source>The page at {origin} was not loaded: it is plain http (not encrypted) and not on this computer, so a password typed there could be read on the way. Tiki&apos;s sign-in pages use https://: check the authorization endpoint.</source>
        <translation>Không tải trang {origin}: trang dùng http thường (không mã hóa) và không nằm trên máy này, nên mật khẩu nhập vào đó có thể bị đọc trộm trên đường truyền. Trang đăng nhập của Tiki luôn dùng https://: hãy kiểm tra authorization endpoint.</translation>
    </message>
    <message>
        <source>the page</source>
        <translation>trang</translation>
    </message>
    <message>
        <source>Could not load {where}: {reason}.</source>
        <translation>Không tải được {where}: {reason}.</translation>
    </message>
    <message>
        <source>The page stopped working (its renderer process ended unexpectedly). Start the authorization again.</source>
        <translation>Trang đã ngừng hoạt động (tiến trình hiển thị bị dừng đột ngột). Hãy cấp quyền lại từ đầu.</translation>
    </message>
</context>
<context>
    <name>ConsentPane</name>
    <message>
        <source>Sign in to Tiki and allow access. The redirect to {redirect_uri} is caught in this window: the code never leaves this computer.</source>
        <translation>Đăng nhập Tiki và bấm Cho phép. Lượt chuyển hướng về {redirect_uri} được giữ lại ngay trong cửa sổ này: mã ủy quyền không bao giờ rời khỏi máy tính của bạn.</translation>
    </message>
</context>
<context>
    <name>CopyAsMenu</name>
    <message>
        <source>Copy as code</source>
        <translation>Sao chép dạng đoạn mã</translation>
    </message>
    <message>
        <source>This request</source>
        <translation>Yêu cầu này</translation>
    </message>
    <message>
        <source>The token exchange (authorization code)</source>
        <translation>Đổi mã ủy quyền lấy token (authorization code)</translation>
    </message>
    <message>
        <source>The token refresh of this seller</source>
        <translation>Làm mới token của Nhà bán này</translation>
    </message>
    <message>
        <source>Copy as %1</source>
        <translation>Sao chép dạng %1</translation>
    </message>
    <message>
        <source>Include secrets (live values)…</source>
        <translation>Kèm thông tin bí mật (giá trị thật)…</translation>
    </message>
    <message>
        <source>Include secrets</source>
        <translation>Kèm thông tin bí mật</translation>
    </message>
    <message>
        <source>Copied code will then hold the live client secret and tokens instead of environment variables. Anyone who gets the text can act as your app and the seller. Include them?</source>
        <translation>Khi đó, đoạn mã được sao chép sẽ chứa client secret và token thật thay vì biến môi trường. Bất kỳ ai có được đoạn mã này đều có thể hành động dưới danh nghĩa ứng dụng của bạn và của Nhà bán. Vẫn kèm các thông tin này?</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <source>Client ID is required</source>
        <translation>Cần nhập client ID</translation>
    </message>
    <message>
        <source>Client ID must not contain spaces or line breaks</source>
        <translation>Client ID không được chứa dấu cách hoặc xuống dòng</translation>
    </message>
    <message>
        <source>Client secret is required</source>
        <translation>Cần nhập client secret</translation>
    </message>
    <message>
        <source>Client secret contains a line break or control character (pasted extra text?)</source>
        <translation>Client secret chứa ký tự xuống dòng hoặc ký tự điều khiển (có dán thừa gì không?)</translation>
    </message>
    <message>
        <source>{what} is empty: enter an absolute https:// URL.</source>
        <translation>{what} đang trống: hãy nhập một URL đầy đủ bắt đầu bằng https://.</translation>
    </message>
    <message>
        <source>{what} must not contain spaces or control characters.</source>
        <translation>{what} không được chứa dấu cách hoặc ký tự điều khiển.</translation>
    </message>
    <message>
        <source>{what} {url} is not a valid URL (check the host name and port).</source>
        <translation>{what} {url} không phải là URL hợp lệ (hãy kiểm tra tên máy chủ và cổng).</translation>
    </message>
    <message>
        <source>{what} must be an absolute URL starting with https:// (http:// only for this computer); {url} is not.</source>
        <translation>{what} phải là URL đầy đủ bắt đầu bằng https:// (http:// chỉ dùng cho chính máy này); {url} thì không phải.</translation>
    </message>
    <message>
        <source>{what} must not contain a user name or password before the host.</source>
        <translation>{what} không được chứa tên người dùng hoặc mật khẩu trước tên máy chủ.</translation>
    </message>
    <message>
        <source>{what} {url} has no host name.</source>
        <translation>{what} {url} không có tên máy chủ.</translation>
    </message>
    <message>
        <source>{what} {url} has port 0, which cannot be used.</source>
        <translation>{what} {url} dùng cổng 0, cổng này không dùng được.</translation>
    </message>
    <message>
        <source>{what} must not contain a #fragment.</source>
        <translation>{what} không được chứa phần #fragment.</translation>
    </message>
    <message>
        <source>{what} must use https://. Plain http:// is only allowed for this computer (127.0.0.1, ::1 or localhost), and {url} is not on it.</source>
        <translation>{what} phải dùng https://. http:// thường chỉ được phép với chính máy này (127.0.0.1, ::1 hoặc localhost), mà {url} không nằm trên máy này.</translation>
    </message>
    <message>
        <source>A scope is empty: write the scopes separated by spaces, as {example}.</source>
        <translation>Có một scope bị trống: hãy viết các scope cách nhau bằng dấu cách, như {example}.</translation>
    </message>
    <message>
        <source>Scopes are separated by spaces, not commas: write {example}, not &apos;offline,product,order&apos; (Tiki would reject it as one unknown scope).</source>
        <translation>Các scope cách nhau bằng dấu cách, không phải dấu phẩy: hãy viết {example}, không viết &apos;offline,product,order&apos; (Tiki sẽ coi đó là một scope lạ và từ chối).</translation>
    </message>
    <message>
        <source>A scope must be a single word; {scope} contains a space.</source>
        <translation>Mỗi scope phải là một từ; {scope} có chứa dấu cách.</translation>
    </message>
    <message>
        <source>Scope {scope} contains {char}, which a scope cannot contain (only printable ASCII without quotes or backslashes).</source>
        <translation>Scope {scope} chứa {char}, ký tự mà scope không được phép có (chỉ dùng ký tự ASCII in được, không có dấu nháy hay dấu gạch ngược).</translation>
    </message>
    <message>
        <source>Nothing was pasted: copy the whole address from the browser&apos;s address bar after you allowed access (it starts with https:// or http://) and paste it here.</source>
        <translation>Chưa dán gì: hãy sao chép toàn bộ địa chỉ trên thanh địa chỉ của trình duyệt sau khi bấm Cho phép (bắt đầu bằng https:// hoặc http://) rồi dán vào đây.</translation>
    </message>
    <message>
        <source>The pasted text is not a valid URL: copy the whole address from the browser&apos;s address bar after you allowed access (it starts with https:// or http://) and paste it here.</source>
        <translation>Nội dung vừa dán không phải là URL hợp lệ: hãy sao chép toàn bộ địa chỉ trên thanh địa chỉ của trình duyệt sau khi bấm Cho phép (bắt đầu bằng https:// hoặc http://) rồi dán vào đây.</translation>
    </message>
    <message>
        <source>The pasted address has no valid host name: copy the whole address from the browser&apos;s address bar after you allowed access (it starts with https:// or http://) and paste it here.</source>
        <translation>Địa chỉ vừa dán không có tên máy chủ hợp lệ: hãy sao chép toàn bộ địa chỉ trên thanh địa chỉ của trình duyệt sau khi bấm Cho phép (bắt đầu bằng https:// hoặc http://) rồi dán vào đây.</translation>
    </message>
    <message>
        <source>The pasted text is not a web address (http:// or https://): copy the whole address from the browser&apos;s address bar after you allowed access (it starts with https:// or http://) and paste it here.</source>
        <translation>Nội dung vừa dán không phải là địa chỉ web (http:// hoặc https://): hãy sao chép toàn bộ địa chỉ trên thanh địa chỉ của trình duyệt sau khi bấm Cho phép (bắt đầu bằng https:// hoặc http://) rồi dán vào đây.</translation>
    </message>
    <message>
        <source>The pasted text is only part of an address: copy the whole address from the browser&apos;s address bar after you allowed access (it starts with https:// or http://) and paste it here.</source>
        <translation>Nội dung vừa dán chỉ là một phần của địa chỉ: hãy sao chép toàn bộ địa chỉ trên thanh địa chỉ của trình duyệt sau khi bấm Cho phép (bắt đầu bằng https:// hoặc http://) rồi dán vào đây.</translation>
    </message>
    <message>
        <source>The pasted text is not a URL: copy the whole address from the browser&apos;s address bar after you allowed access (it starts with https:// or http://) and paste it here.</source>
        <translation>Nội dung vừa dán không phải là URL: hãy sao chép toàn bộ địa chỉ trên thanh địa chỉ của trình duyệt sau khi bấm Cho phép (bắt đầu bằng https:// hoặc http://) rồi dán vào đây.</translation>
    </message>
    <message>
        <source>The pasted address has no https:// (or http://) in front: copy it again from the address bar, where the browser adds it when copying the whole address.</source>
        <translation>Địa chỉ vừa dán thiếu https:// (hoặc http://) ở đầu: hãy sao chép lại từ thanh địa chỉ, trình duyệt sẽ tự thêm phần này khi sao chép toàn bộ địa chỉ.</translation>
    </message>
    <message>
        <source>This is the address of the sign-in page itself, not of the page the browser lands on at the end: finish signing in and allowing access in the browser, then copy the address it shows.</source>
        <translation>Đây là địa chỉ của chính trang đăng nhập, không phải trang cuối cùng mà trình duyệt dừng lại: hãy đăng nhập và bấm Cho phép trên trình duyệt cho xong, rồi sao chép địa chỉ lúc đó.</translation>
    </message>
    <message>
        <source>This is not your redirect URI: the pasted address goes to {pasted}, but this sign-in&apos;s redirect URI is {expected}. Copy the address of the tab that ended on the redirect URI.</source>
        <translation>Đây không phải redirect URI của bạn: địa chỉ vừa dán dẫn đến {pasted}, trong khi redirect URI của lượt đăng nhập này là {expected}. Hãy sao chép địa chỉ của tab đã dừng ở redirect URI.</translation>
    </message>
    <message>
        <source>Receiving the redirect on this computer needs a loopback redirect URI such as http://127.0.0.1:8765/callback (or http://[::1]:8765/callback); for this redirect URI choose &quot;Paste the redirect URL&quot; instead</source>
        <translation>Để nhận chuyển hướng trên máy này, redirect URI phải là địa chỉ loopback như http://127.0.0.1:8765/callback (hoặc http://[::1]:8765/callback); với redirect URI này, hãy chọn &quot;Dán URL chuyển hướng&quot;</translation>
    </message>
    <message>
        <source>Enter at least one scope, separated by spaces, such as {example}.</source>
        <translation>Hãy nhập ít nhất một scope, cách nhau bằng dấu cách, ví dụ {example}.</translation>
    </message>
    <message>
        <source>{what} is required</source>
        <translation>Cần nhập {what}</translation>
    </message>
</context>
<context>
    <name>CredentialsForm</name>
    <message>
        <source>A sign-in is in progress: finish or cancel it first</source>
        <translation>Đang có một lượt đăng nhập: hãy hoàn tất hoặc hủy trước</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client ID</translation>
    </message>
    <message>
        <source>From Tiki&apos;s app console, e.g. 7590139168389961</source>
        <translation>Lấy trong trang quản lý ứng dụng của Tiki, ví dụ 7590139168389961</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Client secret</translation>
    </message>
    <message>
        <source>From Tiki&apos;s app console</source>
        <translation>Lấy trong trang quản lý ứng dụng của Tiki</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Hiện</translation>
    </message>
    <message>
        <source>Show client secret</source>
        <translation>Hiện client secret</translation>
    </message>
    <message>
        <source>Show or hide the secret</source>
        <translation>Hiện hoặc ẩn secret</translation>
    </message>
    <message>
        <source>Redirect URI</source>
        <translation>Redirect URI</translation>
    </message>
    <message>
        <source>Exactly as registered in Tiki&apos;s console. The redirect is caught in this window: the code never reaches this address.</source>
        <translation>Nhập đúng như đã đăng ký trên trang quản lý của Tiki. Lượt chuyển hướng được giữ lại trong cửa sổ này: mã ủy quyền không bao giờ đến địa chỉ này.</translation>
    </message>
    <message>
        <source>Token endpoint auth method</source>
        <translation>Phương thức xác thực với token endpoint</translation>
    </message>
    <message>
        <source>How the client secret is sent to the token endpoint</source>
        <translation>Cách gửi client secret đến token endpoint</translation>
    </message>
    <message>
        <source>The method chosen when the app was registered in Tiki&apos;s console</source>
        <translation>Phương thức đã chọn khi đăng ký ứng dụng trên trang quản lý của Tiki</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>Loại cấp quyền</translation>
    </message>
    <message>
        <source>Authorization code, or client credentials</source>
        <translation>Authorization code hoặc client credentials</translation>
    </message>
    <message>
        <source>Sign in with</source>
        <translation>Đăng nhập bằng</translation>
    </message>
    <message>
        <source>Where the seller signs in</source>
        <translation>Nơi Nhà bán đăng nhập</translation>
    </message>
    <message>
        <source>Embedded: Tiki&apos;s page opens in this window. Loopback: your default browser, and this app listens on the 127.0.0.1 redirect URI while you sign in. Paste: your default browser, then paste the address it ends on (works with any redirect URI).</source>
        <translation>Trong ứng dụng: trang Tiki mở ngay trong cửa sổ này. Loopback: mở trình duyệt mặc định, ứng dụng chờ chuyển hướng tại redirect URI 127.0.0.1 trong lúc bạn đăng nhập. Dán: mở trình duyệt mặc định, sau đó dán địa chỉ cuối cùng mà trình duyệt dừng lại (dùng được với mọi redirect URI).</translation>
    </message>
    <message>
        <source>Embedded browser session</source>
        <translation>Phiên trình duyệt trong ứng dụng</translation>
    </message>
    <message>
        <source>Fresh or remembered Tiki login</source>
        <translation>Đăng nhập Tiki mới hoặc ghi nhớ</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Sign out of the embedded browser</source>
        <translation>Đăng xuất khỏi trình duyệt trong ứng dụng</translation>
    </message>
    <message>
        <source>Delete this profile&apos;s remembered Tiki login (cookies and storage)</source>
        <translation>Xóa thông tin đăng nhập Tiki đã ghi nhớ của hồ sơ này (cookie và dữ liệu lưu trữ)</translation>
    </message>
    <message>
        <source>Expected issuer</source>
        <translation>Issuer mong đợi</translation>
    </message>
    <message>
        <source>e.g. https://api.tiki.vn/ (empty: not checked)</source>
        <translation>ví dụ https://api.tiki.vn/ (để trống: không kiểm tra)</translation>
    </message>
    <message>
        <source>RFC 9207: if the redirect carries iss, it must equal this, else the sign-in is refused</source>
        <translation>RFC 9207: nếu chuyển hướng có tham số iss thì phải trùng với giá trị này, nếu không lượt đăng nhập bị từ chối</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>Cài đặt nâng cao</translation>
    </message>
    <message>
        <source>Show or hide the endpoints</source>
        <translation>Hiện hoặc ẩn các endpoint</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Nâng cao</translation>
    </message>
    <message>
        <source>Authorization endpoint</source>
        <translation>Authorization endpoint</translation>
    </message>
    <message>
        <source>Token endpoint</source>
        <translation>Token endpoint</translation>
    </message>
    <message>
        <source>API base URL</source>
        <translation>URL gốc của API</translation>
    </message>
    <message>
        <source>Use PKCE (S256)</source>
        <translation>Dùng PKCE (S256)</translation>
    </message>
    <message>
        <source>Use PKCE</source>
        <translation>Dùng PKCE</translation>
    </message>
    <message>
        <source>Send a PKCE code challenge; whether Tiki requires it is not documented</source>
        <translation>Gửi PKCE code challenge; tài liệu Tiki không nói rõ có bắt buộc hay không</translation>
    </message>
    <message>
        <source>Use Tiki production</source>
        <translation>Dùng Tiki production</translation>
    </message>
    <message>
        <source>Use Tiki production endpoints</source>
        <translation>Dùng các endpoint production của Tiki</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ẩn</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Issuer</translation>
    </message>
</context>
<context>
    <name>ErrorPanel</name>
    <message>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>What to try</source>
        <translation>Cách xử lý</translation>
    </message>
    <message>
        <source>What the server said</source>
        <translation>Phản hồi của máy chủ</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>Mã trạng thái HTTP</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client ID</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Client secret</translation>
    </message>
    <message>
        <source>Redirect URI</source>
        <translation>Redirect URI</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>Auth method</source>
        <translation>Cách xác thực</translation>
    </message>
    <message>
        <source>Authorization endpoint</source>
        <translation>Authorization endpoint</translation>
    </message>
    <message>
        <source>Token endpoint</source>
        <translation>Token endpoint</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Sao chép chi tiết</translation>
    </message>
    <message>
        <source>Copy error details</source>
        <translation>Sao chép chi tiết lỗi</translation>
    </message>
    <message>
        <source>Go to the field at fault</source>
        <translation>Đến ô cần sửa</translation>
    </message>
    <message>
        <source>Switch the auth method and start again</source>
        <translation>Đổi cách xác thực và làm lại từ đầu</translation>
    </message>
    <message>
        <source>Start again</source>
        <translation>Làm lại từ đầu</translation>
    </message>
    <message>
        <source>Start the authorization again</source>
        <translation>Bắt đầu lại lượt cấp quyền</translation>
    </message>
    <message>
        <source>&lt;b&gt;The flow did not finish&lt;/b&gt;</source>
        <translation>&lt;b&gt;Quá trình cấp quyền chưa hoàn tất&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;What to try&lt;/b&gt;</source>
        <translation>&lt;b&gt;Cách xử lý&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Go to %1</source>
        <translation>Đến ô %1</translation>
    </message>
    <message>
        <source>Switch to “%1” and start again</source>
        <translation>Đổi sang “%1” và làm lại</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Chi tiết lỗi</translation>
    </message>
</context>
<context>
    <name>ErrorReport</name>
    <message>
        <source>HTTP status</source>
        <translation>Mã trạng thái HTTP</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>1 minute</source>
        <translation>1 phút</translation>
    </message>
    <message>
        <source>{n} minutes</source>
        <translation>{n} phút</translation>
    </message>
    <message>
        <source>1 second</source>
        <translation>1 giây</translation>
    </message>
    <message>
        <source>{n} seconds</source>
        <translation>{n} giây</translation>
    </message>
    <message>
        <source>What to try: {advice}</source>
        <translation>Cách xử lý: {advice}</translation>
    </message>
    <message>
        <source>Tiki refused the requested scopes.</source>
        <translation>Tiki từ chối các scope được yêu cầu.</translation>
    </message>
    <message>
        <source>Request only scopes your app is registered for, separated by spaces (for example &apos;offline product order&apos;).</source>
        <translation>Chỉ yêu cầu những scope mà ứng dụng đã đăng ký, cách nhau bằng dấu cách (ví dụ &apos;offline product order&apos;).</translation>
    </message>
    <message>
        <source>Tiki refused to continue the sign-in (request_forbidden).</source>
        <translation>Tiki từ chối tiếp tục lượt đăng nhập (request_forbidden).</translation>
    </message>
    <message>
        <source>This usually means the sign-in cookies did not match, for example because two sign-ins overlapped or the page stayed open too long. Start again and finish one sign-in at a time.</source>
        <translation>Thường là do cookie đăng nhập không khớp, chẳng hạn hai lượt đăng nhập chồng lên nhau hoặc trang để mở quá lâu. Hãy làm lại từ đầu và hoàn tất từng lượt đăng nhập một.</translation>
    </message>
    <message>
        <source>The authorization code was not accepted (expired, already used, or issued for another redirect URI).</source>
        <translation>Mã ủy quyền không được chấp nhận (đã hết hạn, đã dùng rồi, hoặc được cấp cho một redirect URI khác).</translation>
    </message>
    <message>
        <source>Start again: a code can be used once and only for a few minutes.</source>
        <translation>Hãy làm lại từ đầu: mỗi mã ủy quyền chỉ dùng được một lần và chỉ trong vài phút.</translation>
    </message>
    <message>
        <source>Tiki refused the request&apos;s state.</source>
        <translation>Tiki từ chối tham số state của yêu cầu.</translation>
    </message>
    <message>
        <source>Start again (the app makes a new random state each time).</source>
        <translation>Hãy làm lại từ đầu (mỗi lần ứng dụng tạo một state ngẫu nhiên mới).</translation>
    </message>
    <message>
        <source>This app is not allowed to use the authorization code flow.</source>
        <translation>Ứng dụng này không được phép dùng luồng authorization code.</translation>
    </message>
    <message>
        <source>Check the app&apos;s grant types in Tiki&apos;s console.</source>
        <translation>Hãy kiểm tra các loại grant của ứng dụng trên trang quản lý của Tiki.</translation>
    </message>
    <message>
        <source>Tiki needs the seller to sign in again.</source>
        <translation>Tiki yêu cầu Nhà bán đăng nhập lại.</translation>
    </message>
    <message>
        <source>Start again and sign in on the consent page.</source>
        <translation>Hãy làm lại từ đầu và đăng nhập trên trang cấp quyền.</translation>
    </message>
    <message>
        <source>Tiki needs the seller&apos;s consent again.</source>
        <translation>Tiki cần Nhà bán đồng ý cấp quyền lại.</translation>
    </message>
    <message>
        <source>Start again and allow the request on the consent page.</source>
        <translation>Hãy làm lại từ đầu và bấm Cho phép trên trang cấp quyền.</translation>
    </message>
    <message>
        <source>Tiki&apos;s authorization server had an internal error.</source>
        <translation>Máy chủ cấp quyền của Tiki gặp lỗi nội bộ.</translation>
    </message>
    <message>
        <source>Try again in a moment; if it keeps happening, check Tiki&apos;s status or the endpoints.</source>
        <translation>Hãy thử lại sau ít phút; nếu lỗi vẫn lặp lại, hãy kiểm tra tình trạng hệ thống Tiki hoặc các endpoint.</translation>
    </message>
    <message>
        <source>Tiki&apos;s authorization server is temporarily unavailable.</source>
        <translation>Máy chủ cấp quyền của Tiki tạm thời không phản hồi.</translation>
    </message>
    <message>
        <source>Try again in a moment.</source>
        <translation>Hãy thử lại sau ít phút.</translation>
    </message>
    <message>
        <source>This app is registered for {method}; switch the auth method to “{method}” and try again.</source>
        <translation>Ứng dụng này được đăng ký với phương thức {method}; hãy đổi phương thức xác thực sang “{method}” rồi thử lại.</translation>
    </message>
    <message>
        <source>The seller declined the request (access_denied): no code and no tokens were issued.</source>
        <translation>Nhà bán đã từ chối yêu cầu (access_denied): không có mã ủy quyền và không có token nào được cấp.</translation>
    </message>
    <message>
        <source>Ask the seller to allow access, or request fewer scopes, then start again.</source>
        <translation>Hãy nhờ Nhà bán bấm Cho phép, hoặc yêu cầu ít scope hơn, rồi làm lại từ đầu.</translation>
    </message>
    <message>
        <source>Tiki rejected the client authentication method (invalid_client).</source>
        <translation>Tiki không chấp nhận phương thức xác thực client (invalid_client).</translation>
    </message>
    <message>
        <source>Tiki did not accept the client credentials (invalid_client).</source>
        <translation>Tiki không chấp nhận thông tin xác thực của client (invalid_client).</translation>
    </message>
    <message>
        <source>Check the client ID and client secret (copy them again from Tiki&apos;s console) and the auth method the app was registered with.</source>
        <translation>Hãy kiểm tra client ID và client secret (sao chép lại từ trang quản lý của Tiki) và phương thức xác thực đã đăng ký cho ứng dụng.</translation>
    </message>
    <message>
        <source>Tiki refused the redirect URI (invalid_request).</source>
        <translation>Tiki từ chối redirect URI (invalid_request).</translation>
    </message>
    <message>
        <source>Use exactly a redirect URI registered for the app in Tiki&apos;s console.</source>
        <translation>Hãy dùng đúng một redirect URI đã đăng ký cho ứng dụng trên trang quản lý của Tiki.</translation>
    </message>
    <message>
        <source>Tiki answered with the error “{error}”.</source>
        <translation>Tiki trả về lỗi “{error}”.</translation>
    </message>
    <message>
        <source>Read the server&apos;s description below, fix the setting it names and start again.</source>
        <translation>Hãy đọc mô tả của máy chủ bên dưới, sửa thiết lập được nhắc đến rồi làm lại từ đầu.</translation>
    </message>
    <message>
        <source>Tiki stopped the sign-in on its own error page, so the flow cannot reach the app ({error}).</source>
        <translation>Tiki dừng lượt đăng nhập ở trang báo lỗi của Tiki, nên luồng cấp quyền không thể quay về ứng dụng ({error}).</translation>
    </message>
    <message>
        <source>Check the client ID: copy it again from Tiki&apos;s console.</source>
        <translation>Hãy kiểm tra client ID: sao chép lại từ trang quản lý của Tiki.</translation>
    </message>
    <message>
        <source>Check the client ID, redirect URI and scopes, then start again.</source>
        <translation>Hãy kiểm tra client ID, redirect URI và scope, rồi làm lại từ đầu.</translation>
    </message>
    <message>
        <source>The answer did not belong to this request (state mismatch), so the code was discarded and no token request was made.</source>
        <translation>Phản hồi không thuộc về yêu cầu này (state không khớp), nên mã ủy quyền đã bị bỏ qua và không có yêu cầu token nào được gửi.</translation>
    </message>
    <message>
        <source>This is a possible CSRF (cross-site request forgery) attempt or a stale page: start again.</source>
        <translation>Đây có thể là một lần tấn công CSRF (giả mạo yêu cầu liên trang) hoặc một trang cũ: hãy làm lại từ đầu.</translation>
    </message>
    <message>
        <source>The redirect back from Tiki could not be used.</source>
        <translation>Không dùng được lượt chuyển hướng trả về từ Tiki.</translation>
    </message>
    <message>
        <source>Start again. If it keeps happening, check the redirect URI.</source>
        <translation>Hãy làm lại từ đầu. Nếu lỗi vẫn lặp lại, hãy kiểm tra redirect URI.</translation>
    </message>
    <message>
        <source>The server did not prove it is the site it claims to be, so nothing was sent to it. Check the authorization endpoint under Advanced (Tiki&apos;s is {endpoint}), and the computer&apos;s clock.</source>
        <translation>Máy chủ không chứng minh được đúng là trang nó tự nhận, nên không có gì được gửi đến đó. Hãy kiểm tra authorization endpoint trong phần Nâng cao (của Tiki là {endpoint}) và đồng hồ của máy tính.</translation>
    </message>
    <message>
        <source>Check your network connection and the authorization endpoint under Advanced.</source>
        <translation>Hãy kiểm tra kết nối mạng và authorization endpoint trong phần Nâng cao.</translation>
    </message>
    <message>
        <source>The sign-in page could not be loaded. {reason}</source>
        <translation>Không tải được trang đăng nhập. {reason}</translation>
    </message>
    <message>
        <source>The token endpoint did not answer, so the seller was not sent to sign in (the code could not have been exchanged).</source>
        <translation>Token endpoint không phản hồi, nên Nhà bán chưa được chuyển đến trang đăng nhập (mã ủy quyền sẽ không đổi được lấy token).</translation>
    </message>
    <message>
        <source>Check the token endpoint under Advanced (Tiki&apos;s is {endpoint}) and your network connection, then start again.</source>
        <translation>Hãy kiểm tra token endpoint trong phần Nâng cao (của Tiki là {endpoint}) và kết nối mạng, rồi làm lại từ đầu.</translation>
    </message>
    <message>
        <source>The token endpoint did not answer in time.</source>
        <translation>Token endpoint không phản hồi kịp thời.</translation>
    </message>
    <message>
        <source>The secure (TLS) connection to the token endpoint failed.</source>
        <translation>Kết nối bảo mật (TLS) đến token endpoint thất bại.</translation>
    </message>
    <message>
        <source>Could not connect to the token endpoint.</source>
        <translation>Không kết nối được đến token endpoint.</translation>
    </message>
    <message>
        <source>The token request failed on the network.</source>
        <translation>Yêu cầu token bị lỗi mạng.</translation>
    </message>
    <message>
        <source>Check your network connection and the token endpoint under Advanced. The code may already be spent: start again rather than retrying.</source>
        <translation>Hãy kiểm tra kết nối mạng và token endpoint trong phần Nâng cao. Mã ủy quyền có thể đã bị dùng: hãy làm lại từ đầu thay vì thử lại.</translation>
    </message>
    <message>
        <source>The token endpoint answered with something that is not an OAuth token response.</source>
        <translation>Token endpoint trả về nội dung không phải là phản hồi token OAuth.</translation>
    </message>
    <message>
        <source>The token endpoint answered with something that is not an OAuth token response (HTTP {status}).</source>
        <translation>Token endpoint trả về nội dung không phải là phản hồi token OAuth (HTTP {status}).</translation>
    </message>
    <message>
        <source>Check that the token endpoint under Advanced is Tiki&apos;s token URL; the server may also be failing. Start again.</source>
        <translation>Hãy kiểm tra token endpoint trong phần Nâng cao có đúng là URL lấy token của Tiki không; cũng có thể máy chủ đang gặp sự cố. Hãy làm lại từ đầu.</translation>
    </message>
    <message>
        <source>No redirect arrived within {duration}, so the app stopped listening. Press Authorize to start again.</source>
        <translation>Không nhận được chuyển hướng nào trong vòng {duration}, nên ứng dụng đã ngừng chờ. Bấm Cấp quyền để làm lại từ đầu.</translation>
    </message>
    <message>
        <source>Sign in and allow access in the browser sooner after pressing Authorize. If the browser did go back to the redirect URI, check that it is the one in the form, or sign in with &quot;Paste the redirect URL&quot; instead.</source>
        <translation>Hãy đăng nhập và bấm Cho phép trên trình duyệt sớm hơn sau khi bấm Cấp quyền. Nếu trình duyệt đã quay về redirect URI, hãy kiểm tra đó đúng là địa chỉ trong biểu mẫu, hoặc chuyển sang đăng nhập bằng &quot;Dán URL chuyển hướng&quot;.</translation>
    </message>
    <message>
        <source>Port {port} on {host} is already in use by another program, so the app cannot receive the redirect there.</source>
        <translation>Cổng {port} trên {host} đang bị một chương trình khác sử dụng, nên ứng dụng không thể nhận chuyển hướng tại đó.</translation>
    </message>
    <message>
        <source>Close that program (or another tiki-gui sign-in), or use a redirect URI with another port (and register it), or sign in with &quot;Paste the redirect URL&quot; instead.</source>
        <translation>Hãy tắt chương trình đó (hoặc một lượt đăng nhập tiki-gui khác), dùng redirect URI với cổng khác (và đăng ký cổng đó), hoặc chuyển sang đăng nhập bằng &quot;Dán URL chuyển hướng&quot;.</translation>
    </message>
    <message>
        <source>The app could not listen for the redirect on this computer.</source>
        <translation>Ứng dụng không thể chờ nhận chuyển hướng trên máy này.</translation>
    </message>
    <message>
        <source>Choose another port in the redirect URI (and register it), close the program that uses it, or sign in with &quot;Paste the redirect URL&quot; instead.</source>
        <translation>Hãy chọn cổng khác trong redirect URI (và đăng ký cổng đó), tắt chương trình đang dùng cổng này, hoặc chuyển sang đăng nhập bằng &quot;Dán URL chuyển hướng&quot;.</translation>
    </message>
    <message>
        <source>A value in the form cannot be used: {problem}</source>
        <translation>Biểu mẫu có giá trị không dùng được: {problem}</translation>
    </message>
    <message>
        <source>Correct it and start again.</source>
        <translation>Hãy sửa lại rồi làm lại từ đầu.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong ({name}).</source>
        <translation>Đã xảy ra lỗi ngoài dự kiến ({name}).</translation>
    </message>
    <message>
        <source>Start again. If it keeps happening, please report it with the details below.</source>
        <translation>Hãy làm lại từ đầu. Nếu lỗi vẫn lặp lại, vui lòng báo lỗi kèm chi tiết bên dưới.</translation>
    </message>
    <message>
        <source>Unexpected {name}.</source>
        <translation>Lỗi ngoài dự kiến {name}.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export the token of %1</source>
        <translation>Xuất token của %1</translation>
    </message>
    <message>
        <source>Export format</source>
        <translation>Định dạng xuất</translation>
    </message>
    <message>
        <source>Environment name</source>
        <translation>Tên environment</translation>
    </message>
    <message>
        <source>Include the refresh token</source>
        <translation>Kèm refresh token</translation>
    </message>
    <message>
        <source>Whoever has it can get new access tokens until it is revoked</source>
        <translation>Ai có refresh token đều lấy được access token mới cho đến khi nó bị thu hồi</translation>
    </message>
    <message>
        <source>Live token warning</source>
        <translation>Cảnh báo token còn hiệu lực</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Định dạng</translation>
    </message>
    <message>
        <source>This file holds a live access token and a refresh token: anyone who has it can call Tiki&apos;s API as this seller, and keep doing so with new tokens. Keep it out of shared folders and version control, and delete it when you are done.</source>
        <translation>Tệp này chứa access token và refresh token còn hiệu lực: ai có tệp đều gọi được API của Tiki dưới danh nghĩa Nhà bán này, và còn gọi tiếp được bằng các token mới. Đừng để tệp trong thư mục dùng chung hay đưa vào hệ thống quản lý phiên bản (version control), và hãy xóa tệp khi dùng xong.</translation>
    </message>
    <message>
        <source>This file holds a live access token: anyone who has it can call Tiki&apos;s API as this seller until the token expires. Keep it out of shared folders and version control, and delete it when you are done.</source>
        <translation>Tệp này chứa access token còn hiệu lực: ai có tệp đều gọi được API của Tiki dưới danh nghĩa Nhà bán này cho đến khi token hết hạn. Đừng để tệp trong thư mục dùng chung hay đưa vào hệ thống quản lý phiên bản (version control), và hãy xóa tệp khi dùng xong.</translation>
    </message>
    <message>
        <source>Save the environment</source>
        <translation>Lưu tệp environment</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Chưa lưu: %1</translation>
    </message>
</context>
<context>
    <name>FlowView</name>
    <message>
        <source>Waiting for the seller to sign in and allow access…</source>
        <translation>Đang chờ Nhà bán đăng nhập và bấm Cho phép…</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Get tokens for your Tiki app&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;Fill in the app&apos;s client ID, client secret and redirect URI exactly as registered in Tiki&apos;s console, pick the scopes and the auth method.&lt;/li&gt;&lt;li&gt;Press &lt;b&gt;Authorize&lt;/b&gt;: Tiki&apos;s sign-in and consent page opens here. Sign in as the seller and allow access.&lt;/li&gt;&lt;li&gt;The redirect back is caught in this window (the code never leaves this computer) and exchanged for tokens, shown here with Copy buttons.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;The form is saved in the profile chosen above; the client secret and the tokens only in your system keyring, never in a file.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Lấy token cho ứng dụng Tiki của bạn&lt;/h3&gt;&lt;ol&gt;&lt;li&gt;Điền client ID, client secret và redirect URI của ứng dụng đúng như đã đăng ký trên trang quản lý của Tiki, chọn scope và phương thức xác thực.&lt;/li&gt;&lt;li&gt;Bấm &lt;b&gt;Cấp quyền&lt;/b&gt;: trang đăng nhập và cấp quyền của Tiki mở ngay tại đây. Đăng nhập bằng tài khoản Nhà bán và bấm Cho phép.&lt;/li&gt;&lt;li&gt;Lượt chuyển hướng trả về được giữ lại trong cửa sổ này (mã ủy quyền không rời khỏi máy tính) và được đổi lấy token, hiển thị tại đây kèm nút Sao chép.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Biểu mẫu được lưu vào hồ sơ đang chọn phía trên; client secret và token chỉ được lưu trong kho khóa (keyring) của hệ thống, không bao giờ ghi ra tệp.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Try it on the sandbox</source>
        <translation>Thử với sandbox</translation>
    </message>
    <message>
        <source>A local Tiki look-alike with a demo app: no Tiki account needed</source>
        <translation>Máy chủ giống Tiki chạy trên máy, có sẵn ứng dụng demo: không cần tài khoản Tiki</translation>
    </message>
    <message>
        <source>Start a Tiki-like server on this computer with a demo app filled in: try the whole sign-in without a Tiki account or the internet</source>
        <translation>Khởi chạy một máy chủ giống Tiki trên máy tính này, điền sẵn một ứng dụng demo: thử toàn bộ lượt đăng nhập mà không cần tài khoản Tiki hay internet</translation>
    </message>
    <message>
        <source>Flow status</source>
        <translation>Trạng thái cấp quyền</translation>
    </message>
    <message>
        <source>Flow progress</source>
        <translation>Tiến trình cấp quyền</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Cancel the authorization</source>
        <translation>Hủy lượt cấp quyền</translation>
    </message>
    <message>
        <source>Escape also cancels</source>
        <translation>Phím Esc cũng hủy được</translation>
    </message>
    <message>
        <source>Stop this authorization (Esc)</source>
        <translation>Dừng lượt cấp quyền này (Esc)</translation>
    </message>
    <message>
        <source>the token endpoint</source>
        <translation>token endpoint</translation>
    </message>
    <message>
        <source>Exchanging the code at {where}…</source>
        <translation>Đang đổi mã ủy quyền lấy token tại {where}…</translation>
    </message>
    <message>
        <source>Signed in. Tiki sent back an authorization code, which is now exchanged for tokens (the line above says where). The code is used this once.

Esc stops waiting.</source>
        <translation>Đã đăng nhập. Tiki đã trả về mã ủy quyền, ứng dụng đang đổi mã này lấy token (nơi đổi ghi ở dòng trên). Mã chỉ được dùng một lần này.

Nhấn Esc để thôi chờ.</translation>
    </message>
    <message>
        <source>Requesting a token with the app&apos;s own credentials (client credentials grant, the line above says where): no seller signs in.

Esc stops waiting.</source>
        <translation>Đang yêu cầu token bằng thông tin xác thực của chính ứng dụng (client credentials grant, nơi yêu cầu ghi ở dòng trên): không cần Nhà bán đăng nhập.

Nhấn Esc để thôi chờ.</translation>
    </message>
    <message>
        <source>Requesting a token at {where}…</source>
        <translation>Đang yêu cầu token tại {where}…</translation>
    </message>
    <message>
        <source>Authorization cancelled.</source>
        <translation>Đã hủy cấp quyền.</translation>
    </message>
    <message>
        <source>Tokens received from {where} at {time}.</source>
        <translation>Đã nhận token từ {where} lúc {time}.</translation>
    </message>
</context>
<context>
    <name>FormLayout</name>
    <message>
        <source>Client &amp;ID</source>
        <translation>Client &amp;ID</translation>
    </message>
    <message>
        <source>Client &amp;secret</source>
        <translation>Client &amp;secret</translation>
    </message>
    <message>
        <source>&amp;Redirect URI</source>
        <translation>&amp;Redirect URI</translation>
    </message>
    <message>
        <source>S&amp;copes</source>
        <translation>S&amp;cope</translation>
    </message>
    <message>
        <source>Auth &amp;method</source>
        <translation>Cách &amp;xác thực</translation>
    </message>
    <message>
        <source>&amp;Grant</source>
        <translation>&amp;Loại cấp quyền</translation>
    </message>
    <message>
        <source>Sig&amp;n in with</source>
        <translation>Đăng &amp;nhập bằng</translation>
    </message>
    <message>
        <source>Browser sessio&amp;n</source>
        <translation>Phiên trình d&amp;uyệt</translation>
    </message>
    <message>
        <source>Authori&amp;zation endpoint</source>
        <translation>Authori&amp;zation endpoint</translation>
    </message>
    <message>
        <source>&amp;Token endpoint</source>
        <translation>&amp;Token endpoint</translation>
    </message>
    <message>
        <source>API &amp;base</source>
        <translation>URL &amp;gốc API</translation>
    </message>
    <message>
        <source>Expected &amp;issuer</source>
        <translation>&amp;Issuer mong đợi</translation>
    </message>
    <message>
        <source>&lt;b&gt;Your Tiki app&lt;/b&gt;</source>
        <translation>&lt;b&gt;Ứng dụng Tiki của bạn&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Register an app (Tiki Open API console)</source>
        <translation>&amp;Đăng ký ứng dụng (Tiki Open API console)</translation>
    </message>
    <message>
        <source>The &amp;authorization code flow</source>
        <translation>&amp;Luồng authorization code</translation>
    </message>
    <message>
        <source>&amp;Scopes</source>
        <translation>&amp;Scope</translation>
    </message>
    <message>
        <source>Seller &amp;API reference</source>
        <translation>Tài liệu Seller &amp;API</translation>
    </message>
    <message>
        <source>Tiki &amp;Open API home</source>
        <translation>Trang chủ Tiki &amp;Open API</translation>
    </message>
</context>
<context>
    <name>JsonTree</name>
    <message>
        <source>Key</source>
        <translation>Khóa</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Kiểu</translation>
    </message>
    <message>
        <source>Search the response</source>
        <translation>Tìm trong phản hồi</translation>
    </message>
    <message>
        <source>Show only the keys and values containing this text</source>
        <translation>Chỉ hiện các khóa và giá trị có chứa chuỗi này</translation>
    </message>
    <message>
        <source>Search keys and values</source>
        <translation>Tìm khóa và giá trị</translation>
    </message>
    <message>
        <source>Response body as a tree</source>
        <translation>Body của phản hồi dạng cây</translation>
    </message>
    <message>
        <source>Copy value</source>
        <translation>Sao chép giá trị</translation>
    </message>
    <message>
        <source>Copy the selected value</source>
        <translation>Sao chép giá trị đang chọn</translation>
    </message>
    <message>
        <source>Copy body</source>
        <translation>Sao chép body</translation>
    </message>
    <message>
        <source>Copy the whole response body</source>
        <translation>Sao chép toàn bộ body của phản hồi</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>Mở rộng tất cả</translation>
    </message>
    <message>
        <source>Expand every node</source>
        <translation>Mở rộng mọi nút</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>Thu gọn tất cả</translation>
    </message>
    <message>
        <source>Collapse every node</source>
        <translation>Thu gọn mọi nút</translation>
    </message>
    <message>
        <source>… more not shown: see the raw body</source>
        <translation>… phần còn lại không được hiển thị: xem body gốc</translation>
    </message>
    <message>
        <source>{%1 keys}</source>
        <translation>{%1 khóa}</translation>
    </message>
    <message>
        <source>[%1 items]</source>
        <translation>[%1 phần tử]</translation>
    </message>
    <message>
        <source>The value of %1</source>
        <translation>Giá trị của %1</translation>
    </message>
    <message>
        <source>The response body</source>
        <translation>Body của phản hồi</translation>
    </message>
</context>
<context>
    <name>KeyringNotice</name>
    <message>
        <source>Keyring notice</source>
        <translation>Thông báo về keyring</translation>
    </message>
    <message>
        <source>Why?</source>
        <translation>Tại sao?</translation>
    </message>
    <message>
        <source>Why nothing secret is saved</source>
        <translation>Lý do không lưu thông tin bí mật nào</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ẩn</translation>
    </message>
    <message>
        <source>Dismiss the keyring notice</source>
        <translation>Ẩn thông báo về keyring</translation>
    </message>
    <message>
        <source>No system keyring: the client secret and tokens are not saved when tiki-gui quits.</source>
        <translation>Không có keyring của hệ thống: client secret và token sẽ mất khi tiki-gui thoát.</translation>
    </message>
    <message>
        <source>No system keyring is available, so the client secret and tokens are not saved: you can still authorize and copy the tokens, but they are gone when tiki-gui quits. Profiles keep their other settings.

Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager) and restart tiki-gui to keep them.</source>
        <translation>Không có keyring nào của hệ thống, nên client secret và token không được lưu: bạn vẫn có thể cấp quyền và sao chép token, nhưng chúng sẽ mất khi tiki-gui thoát. Hồ sơ vẫn giữ các thiết lập khác.

Hãy cài đặt và mở khóa một keyring (GNOME Keyring, KWallet, macOS Keychain hoặc Windows Credential Manager) rồi khởi động lại tiki-gui để lưu chúng.</translation>
    </message>
    <message>
        <source>No system keyring</source>
        <translation>Không có keyring của hệ thống</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Basic header</source>
        <translation>Header Basic</translation>
    </message>
    <message>
        <source>Request body</source>
        <translation>Trong body của yêu cầu</translation>
    </message>
    <message>
        <source>Authorization code (a seller signs in)</source>
        <translation>Authorization code (Nhà bán đăng nhập)</translation>
    </message>
    <message>
        <source>Client credentials (in-house app, no browser)</source>
        <translation>Client credentials (ứng dụng nội bộ, không cần trình duyệt)</translation>
    </message>
    <message>
        <source>In this window (embedded browser)</source>
        <translation>Ngay trong cửa sổ này (trình duyệt tích hợp)</translation>
    </message>
    <message>
        <source>System browser, redirect to this computer</source>
        <translation>Trình duyệt hệ thống, chuyển hướng về máy này</translation>
    </message>
    <message>
        <source>System browser, paste the redirect URL</source>
        <translation>Trình duyệt hệ thống, dán URL chuyển hướng</translation>
    </message>
    <message>
        <source>Fresh sign-in every time</source>
        <translation>Đăng nhập mới mỗi lần</translation>
    </message>
    <message>
        <source>Remember my Tiki login (this profile only)</source>
        <translation>Ghi nhớ đăng nhập Tiki (chỉ hồ sơ này)</translation>
    </message>
    <message>
        <source>Authorization: Basic header (client_secret_basic)</source>
        <translation>Header Authorization: Basic (client_secret_basic)</translation>
    </message>
    <message>
        <source>client_id and client_secret in the body (client_secret_post)</source>
        <translation>client_id và client_secret nằm trong body (client_secret_post)</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Còn hiệu lực</translation>
    </message>
    <message>
        <source>Expiring soon</source>
        <translation>Sắp hết hạn</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Hết hạn</translation>
    </message>
    <message>
        <source>Needs re-authorization</source>
        <translation>Cần cấp quyền lại</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>Choose the language of the window</source>
        <translation>Chọn ngôn ngữ của cửa sổ</translation>
    </message>
</context>
<context>
    <name>Location</name>
    <message>
        <source>{host} (TLS)</source>
        <translation>{host} (TLS)</translation>
    </message>
    <message>
        <source>{host} (not encrypted)</source>
        <translation>{host} (không mã hóa)</translation>
    </message>
    <message>
        <source>The connection to {host} is encrypted (TLS).</source>
        <translation>Kết nối đến {host} được mã hóa (TLS).</translation>
    </message>
    <message>
        <source>The connection to {host} is not encrypted: fine for a local test server only.</source>
        <translation>Kết nối đến {host} không được mã hóa: chỉ chấp nhận được với máy chủ thử nghiệm trên máy.</translation>
    </message>
</context>
<context>
    <name>LocationBar</name>
    <message>
        <source>Address of the page in the browser</source>
        <translation>Địa chỉ trang trong trình duyệt</translation>
    </message>
    <message>
        <source>No page loaded</source>
        <translation>Chưa tải trang nào</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Profile</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Stored tokens</source>
        <translation>Token đã lưu</translation>
    </message>
    <message>
        <source>Signed out of the embedded browser for this profile.</source>
        <translation>Đã đăng xuất trình duyệt tích hợp của hồ sơ này.</translation>
    </message>
    <message>
        <source>{what} copied to the clipboard.</source>
        <translation>Đã sao chép {what} vào bộ nhớ tạm.</translation>
    </message>
    <message>
        <source>Quit and lose the tokens?</source>
        <translation>Thoát và mất token?</translation>
    </message>
    <message>
        <source>The tokens on screen were not copied, and without a system keyring they were not stored: they are gone once tiki-gui quits. Quit anyway?</source>
        <translation>Token trên màn hình chưa được sao chép, và vì không có keyring của hệ thống nên cũng chưa được lưu: chúng sẽ mất khi tiki-gui thoát. Vẫn thoát?</translation>
    </message>
</context>
<context>
    <name>NetErrors</name>
    <message>
        <source>the server&apos;s name could not be found (check the address and the internet connection)</source>
        <translation>không tìm thấy tên máy chủ (hãy kiểm tra lại địa chỉ và kết nối internet)</translation>
    </message>
    <message>
        <source>the server&apos;s name could not be looked up (check the internet connection)</source>
        <translation>không tra được tên máy chủ (hãy kiểm tra kết nối internet)</translation>
    </message>
    <message>
        <source>nothing answers at that address and port (is the server running, and is the port right?)</source>
        <translation>không có dịch vụ nào phản hồi ở địa chỉ và cổng này (máy chủ đã chạy chưa, số cổng có đúng không?)</translation>
    </message>
    <message>
        <source>the server did not answer in time</source>
        <translation>máy chủ không phản hồi kịp thời</translation>
    </message>
    <message>
        <source>the connection was cut off (reset)</source>
        <translation>kết nối bị ngắt giữa chừng (reset)</translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>máy chủ đã đóng kết nối</translation>
    </message>
    <message>
        <source>the connection to the server failed</source>
        <translation>không kết nối được tới máy chủ</translation>
    </message>
    <message>
        <source>the server closed the connection without answering</source>
        <translation>máy chủ đóng kết nối mà không trả về gì</translation>
    </message>
    <message>
        <source>this computer is not connected to the internet</source>
        <translation>máy tính này chưa kết nối internet</translation>
    </message>
    <message>
        <source>the network changed while the page was loading</source>
        <translation>mạng bị thay đổi trong lúc đang tải trang</translation>
    </message>
    <message>
        <source>the server&apos;s address cannot be reached from this network</source>
        <translation>không truy cập được địa chỉ máy chủ từ mạng này</translation>
    </message>
    <message>
        <source>the server&apos;s address is not valid</source>
        <translation>địa chỉ máy chủ không hợp lệ</translation>
    </message>
    <message>
        <source>the proxy server could not be reached</source>
        <translation>không kết nối được tới máy chủ proxy</translation>
    </message>
    <message>
        <source>the proxy server would not connect to the site</source>
        <translation>máy chủ proxy không chịu kết nối tới trang này</translation>
    </message>
    <message>
        <source>the proxy server asks for a login the browser cannot give</source>
        <translation>máy chủ proxy yêu cầu kiểu đăng nhập mà trình duyệt không hỗ trợ</translation>
    </message>
    <message>
        <source>the secure (TLS) connection failed</source>
        <translation>kết nối bảo mật (TLS) không thành công</translation>
    </message>
    <message>
        <source>the server&apos;s secure connection settings are too old or unusual</source>
        <translation>cấu hình kết nối bảo mật (TLS) của máy chủ quá cũ hoặc không thông dụng</translation>
    </message>
    <message>
        <source>the page keeps redirecting without end</source>
        <translation>trang bị chuyển hướng liên tục không dừng (vòng lặp chuyển hướng)</translation>
    </message>
    <message>
        <source>the address is not a valid URL</source>
        <translation>địa chỉ không phải là URL hợp lệ</translation>
    </message>
    <message>
        <source>the browser refuses that port as unsafe</source>
        <translation>trình duyệt chặn cổng này vì không an toàn</translation>
    </message>
    <message>
        <source>the server sent an answer the browser cannot read</source>
        <translation>máy chủ trả về phản hồi mà trình duyệt không đọc được</translation>
    </message>
    <message>
        <source>the server answered with an HTTP error and no page</source>
        <translation>máy chủ trả về lỗi HTTP và không có nội dung trang</translation>
    </message>
    <message>
        <source>the browser blocked the page</source>
        <translation>trình duyệt đã chặn trang này</translation>
    </message>
    <message>
        <source>the file was not found</source>
        <translation>không tìm thấy tệp</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>lỗi không xác định</translation>
    </message>
</context>
<context>
    <name>Network</name>
    <message>
        <source>It went through the proxy {proxy} (HTTPS_PROXY): check the proxy&apos;s address, that it lets this host through (or list the host in NO_PROXY), and its login (http://USER:PASSWORD@host:port).</source>
        <translation>Kết nối đã đi qua proxy {proxy} (HTTPS_PROXY): hãy kiểm tra địa chỉ proxy, proxy có cho phép đến máy chủ này không (hoặc thêm máy chủ vào NO_PROXY), và thông tin đăng nhập proxy (http://USER:PASSWORD@host:port).</translation>
    </message>
    <message>
        <source>If your company inspects https traffic, the embedded browser needs the company&apos;s CA in your NSS database (~/.pki/nssdb, the one Chrome uses): {command}. Or sign in with the system browser.</source>
        <translation>Nếu công ty bạn kiểm tra lưu lượng https, trình duyệt tích hợp cần CA của công ty trong cơ sở dữ liệu NSS (~/.pki/nssdb, nơi Chrome dùng): {command}. Hoặc đăng nhập bằng trình duyệt hệ thống.</translation>
    </message>
    <message>
        <source>If your company inspects https traffic, its CA must be trusted by the system (ask your IT department), or sign in with the system browser.</source>
        <translation>Nếu công ty bạn kiểm tra lưu lượng https, hệ thống phải tin cậy CA của công ty (hãy hỏi bộ phận IT), hoặc đăng nhập bằng trình duyệt hệ thống.</translation>
    </message>
</context>
<context>
    <name>ProfileBar</name>
    <message>
        <source>Profile files (*.json);;All files (*)</source>
        <translation>Tệp hồ sơ (*.json);;Tất cả các tệp (*)</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>The Tiki app registration in use</source>
        <translation>Ứng dụng Tiki đã đăng ký đang dùng</translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation>&amp;Hồ sơ:</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Tạo mới…</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>Hồ sơ mới</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <source>Rename profile</source>
        <translation>Đổi tên hồ sơ</translation>
    </message>
    <message>
        <source>Duplicate…</source>
        <translation>Nhân bản…</translation>
    </message>
    <message>
        <source>Duplicate profile</source>
        <translation>Nhân bản hồ sơ</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Xóa…</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>Xóa hồ sơ</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Nhập…</translation>
    </message>
    <message>
        <source>Import a profile from JSON</source>
        <translation>Nhập hồ sơ từ tệp JSON</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Xuất…</translation>
    </message>
    <message>
        <source>Export the profile to JSON</source>
        <translation>Xuất hồ sơ ra tệp JSON</translation>
    </message>
    <message>
        <source>Export the profile as JSON, without the client secret</source>
        <translation>Xuất hồ sơ ra tệp JSON, không kèm client secret</translation>
    </message>
    <message>
        <source>Name of the new profile (one Tiki app registration):</source>
        <translation>Tên hồ sơ mới (ứng với một ứng dụng đã đăng ký trên Tiki):</translation>
    </message>
    <message>
        <source>New name for &apos;{name}&apos;:</source>
        <translation>Tên mới cho &apos;{name}&apos;:</translation>
    </message>
    <message>
        <source>Name of the copy (the client secret is copied, tokens are not):</source>
        <translation>Tên bản sao (client secret được sao chép, token thì không):</translation>
    </message>
    <message>
        <source>{name} copy</source>
        <translation>{name} (bản sao)</translation>
    </message>
    <message>
        <source>Delete the profile &apos;{name}&apos;? Its client secret and every seller token stored for it are deleted from the system keyring.</source>
        <translation>Xóa hồ sơ &apos;{name}&apos;? Client secret và mọi token của Nhà bán đã lưu cho hồ sơ này sẽ bị xóa khỏi keyring của hệ thống.</translation>
    </message>
    <message>
        <source>Import profile</source>
        <translation>Nhập hồ sơ</translation>
    </message>
    <message>
        <source>Export profile (without the secret)</source>
        <translation>Xuất hồ sơ (không kèm secret)</translation>
    </message>
</context>
<context>
    <name>ProfileJobs</name>
    <message>
        <source>Wait until the current profile operation has finished.</source>
        <translation>Hãy chờ thao tác hiện tại trên hồ sơ hoàn tất.</translation>
    </message>
    <message>
        <source>Working: {what}…</source>
        <translation>Đang {what}…</translation>
    </message>
    <message>
        <source>Could not {what}: {reason}</source>
        <translation>Không thể {what}: {reason}</translation>
    </message>
</context>
<context>
    <name>ProfilesController</name>
    <message>
        <source>Renamed &apos;{old}&apos; to &apos;{new}&apos;.</source>
        <translation>Đã đổi tên &apos;{old}&apos; thành &apos;{new}&apos;.</translation>
    </message>
    <message>
        <source>rename the profile</source>
        <translation>đổi tên hồ sơ</translation>
    </message>
    <message>
        <source>Fill in the client ID before duplicating this profile.</source>
        <translation>Hãy điền client ID trước khi nhân bản hồ sơ này.</translation>
    </message>
    <message>
        <source>Duplicated &apos;{name}&apos; as &apos;{new}&apos; (tokens are not copied).</source>
        <translation>Đã nhân bản &apos;{name}&apos; thành &apos;{new}&apos; (token không được sao chép).</translation>
    </message>
    <message>
        <source>duplicate the profile</source>
        <translation>nhân bản hồ sơ</translation>
    </message>
    <message>
        <source>Deleted &apos;{name}&apos; and its keyring entries.</source>
        <translation>Đã xóa &apos;{name}&apos; cùng các mục của nó trong keyring.</translation>
    </message>
    <message>
        <source>delete the profile</source>
        <translation>xóa hồ sơ</translation>
    </message>
    <message>
        <source>Imported &apos;{name}&apos;: enter its client secret.</source>
        <translation>Đã nhập &apos;{name}&apos;: hãy điền client secret.</translation>
    </message>
    <message>
        <source>import the profile</source>
        <translation>nhập hồ sơ</translation>
    </message>
    <message>
        <source>Fill in the client ID before exporting this profile.</source>
        <translation>Hãy điền client ID trước khi xuất hồ sơ này.</translation>
    </message>
    <message>
        <source>Exported &apos;{name}&apos; (without the client secret).</source>
        <translation>Đã xuất &apos;{name}&apos; (không kèm client secret).</translation>
    </message>
</context>
<context>
    <name>RequestBodyEditor</name>
    <message>
        <source>Request body (JSON)</source>
        <translation>Body của yêu cầu (JSON)</translation>
    </message>
    <message>
        <source>Sent as application/json with POST, PUT and PATCH</source>
        <translation>Gửi dạng application/json với POST, PUT và PATCH</translation>
    </message>
    <message>
        <source>Is the body JSON?</source>
        <translation>Body có phải JSON hợp lệ không</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Định dạng</translation>
    </message>
    <message>
        <source>Format the JSON body</source>
        <translation>Định dạng lại body JSON</translation>
    </message>
    <message>
        <source>Body (JSON)</source>
        <translation>Body (JSON)</translation>
    </message>
    <message>
        <source>Not JSON yet: line %1, column %2 (%3)</source>
        <translation>Chưa phải JSON: dòng %1, cột %2 (%3)</translation>
    </message>
    <message>
        <source>empty: nothing is sent as the body</source>
        <translation>trống: yêu cầu gửi đi không có body</translation>
    </message>
    <message>
        <source>valid JSON</source>
        <translation>JSON hợp lệ</translation>
    </message>
</context>
<context>
    <name>SandboxMode</name>
    <message>
        <source>Sandbox mode: a local Tiki-like server runs at {url} with its demo client filled in below. Press Authorize and sign in with any seller name and any non-empty password.</source>
        <translation>Chế độ sandbox: máy chủ giống Tiki chạy trên máy tại {url}, client demo đã điền sẵn bên dưới. Bấm Cấp quyền, đăng nhập với tên Nhà bán và mật khẩu bất kỳ (không để trống).</translation>
    </message>
</context>
<context>
    <name>ScopePicker</name>
    <message>
        <source>Needed to get a refresh token</source>
        <translation>Cần có để nhận refresh token</translation>
    </message>
    <message>
        <source>Read and update the seller&apos;s products</source>
        <translation>Xem và cập nhật sản phẩm của Nhà bán</translation>
    </message>
    <message>
        <source>Read and handle the seller&apos;s orders</source>
        <translation>Xem và xử lý đơn hàng của Nhà bán</translation>
    </message>
    <message>
        <source>Read the seller&apos;s inventory (read only)</source>
        <translation>Xem tồn kho của Nhà bán (chỉ đọc)</translation>
    </message>
    <message>
        <source>Multichannel APIs (some partners only)</source>
        <translation>API đa kênh (chỉ một số đối tác)</translation>
    </message>
    <message>
        <source>Deprecated by Tiki (basic product + order): prefer product and order</source>
        <translation>Tiki đã ngừng hỗ trợ (gồm product + order cơ bản): nên dùng product và order</translation>
    </message>
    <message>
        <source>{scope} (deprecated)</source>
        <translation>{scope} (cũ)</translation>
    </message>
    <message>
        <source>Scope {scope}</source>
        <translation>Scope {scope}</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>Space-separated scopes; type scopes Tiki adds later here</source>
        <translation>Các scope cách nhau bằng dấu cách; scope mới của Tiki có thể gõ vào đây</translation>
    </message>
    <message>
        <source>offline product order</source>
        <translation>offline product order</translation>
    </message>
    <message>
        <source>Space-separated scopes (not commas). Scopes not listed above can be typed here.</source>
        <translation>Các scope cách nhau bằng dấu cách (không dùng dấu phẩy). Scope không có trong danh sách trên có thể gõ vào đây.</translation>
    </message>
</context>
<context>
    <name>StorageText</name>
    <message>
        <source>The system keyring could not be read ({name}); check that it is running and unlocked. Nothing was stored elsewhere.</source>
        <translation>Không đọc được keyring của hệ thống ({name}); hãy kiểm tra keyring đang chạy và đã mở khóa. Không có gì được lưu ở nơi khác.</translation>
    </message>
    <message>
        <source>The system keyring could not store the entry ({name}); check that it is running and unlocked. Nothing was stored elsewhere.</source>
        <translation>Keyring của hệ thống không lưu được mục này ({name}); hãy kiểm tra keyring đang chạy và đã mở khóa. Không có gì được lưu ở nơi khác.</translation>
    </message>
    <message>
        <source>The system keyring could not delete the entry ({name}); check that it is running and unlocked. Nothing was stored elsewhere.</source>
        <translation>Keyring của hệ thống không xóa được mục này ({name}); hãy kiểm tra keyring đang chạy và đã mở khóa. Không có gì được lưu ở nơi khác.</translation>
    </message>
    <message>
        <source>Another refresh of this token is still running. ({detail})</source>
        <translation>Một lượt làm mới khác của token này vẫn đang chạy. ({detail})</translation>
    </message>
    <message>
        <source>The settings file cannot be used. ({detail})</source>
        <translation>Không dùng được tệp cài đặt. ({detail})</translation>
    </message>
    <message>
        <source>The profile has no client secret stored. ({detail})</source>
        <translation>Hồ sơ chưa lưu client secret. ({detail})</translation>
    </message>
    <message>
        <source>No token is stored for this. ({detail})</source>
        <translation>Chưa có token nào được lưu cho mục này. ({detail})</translation>
    </message>
    <message>
        <source>There is no profile named &apos;{name}&apos;.</source>
        <translation>Không có hồ sơ nào tên &apos;{name}&apos;.</translation>
    </message>
    <message>
        <source>A profile named &apos;{name}&apos; already exists; choose another name.</source>
        <translation>Đã có hồ sơ tên &apos;{name}&apos;; hãy chọn tên khác.</translation>
    </message>
    <message>
        <source>The token was refreshed but the system keyring refused to store the new pair; copy it now, it cannot be recovered later.</source>
        <translation>Token đã được làm mới nhưng keyring của hệ thống từ chối lưu cặp token mới; hãy sao chép ngay, sau này sẽ không lấy lại được.</translation>
    </message>
    <message>
        <source>No usable system keyring was found, so client secrets and tokens cannot be saved; install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Manager) to keep them.</source>
        <translation>Không tìm thấy keyring nào của hệ thống dùng được, nên không thể lưu client secret và token; hãy cài đặt và mở khóa một keyring (GNOME Keyring, KWallet, macOS Keychain hoặc Windows Credential Manager) để lưu chúng.</translation>
    </message>
    <message>
        <source>This token can no longer be refreshed: the seller must authorize the app again. ({detail})</source>
        <translation>Token này không thể làm mới được nữa: Nhà bán cần cấp quyền lại cho ứng dụng. ({detail})</translation>
    </message>
</context>
<context>
    <name>StoredTokensController</name>
    <message>
        <source>This seller&apos;s refresh was interrupted; authorize again. A refresh of {seller} ({seller_id}) was sent and its new token never stored (the app stopped or the answer was lost), so Tiki refuses the old one. Press “Authorize again”.</source>
        <translation>Lượt làm mới token của Nhà bán này đã bị gián đoạn; hãy cấp quyền lại. Yêu cầu làm mới token của {seller} ({seller_id}) đã được gửi nhưng token mới chưa được lưu (ứng dụng bị dừng hoặc phản hồi bị mất), nên Tiki từ chối token cũ. Bấm “Cấp quyền lại”.</translation>
    </message>
    <message>
        <source>No keyring: this token was not stored (copy it now).</source>
        <translation>Không có keyring: token này không được lưu (hãy sao chép ngay).</translation>
    </message>
    <message>
        <source>The profile is not saved yet, so the token was not stored.</source>
        <translation>Hồ sơ chưa được lưu, nên token không được lưu.</translation>
    </message>
    <message>
        <source>Asking sellers/me whose token this is…</source>
        <translation>Đang hỏi sellers/me token này của Nhà bán nào…</translation>
    </message>
    <message>
        <source>Token stored for {seller} ({id}).</source>
        <translation>Đã lưu token của {seller} ({id}).</translation>
    </message>
    <message>
        <source>The token was not stored: {reason}</source>
        <translation>Token không được lưu: {reason}</translation>
    </message>
    <message>
        <source>profile switched</source>
        <translation>đã chuyển hồ sơ</translation>
    </message>
    <message>
        <source>Refreshed the token of {seller}.</source>
        <translation>Đã làm mới token của {seller}.</translation>
    </message>
    <message>
        <source>{reason} Press “Authorize again”.</source>
        <translation>{reason} Bấm “Cấp quyền lại”.</translation>
    </message>
    <message>
        <source>retry in {seconds} s</source>
        <translation>thử lại sau {seconds} giây</translation>
    </message>
    <message>
        <source>Refresh failed, nothing was changed; retrying in {seconds} s. {reason}</source>
        <translation>Làm mới thất bại, chưa có gì thay đổi; sẽ thử lại sau {seconds} giây. {reason}</translation>
    </message>
    <message>
        <source>Refresh failed: {reason}</source>
        <translation>Làm mới thất bại: {reason}</translation>
    </message>
    <message>
        <source>sellers/me: {seller} (id {id}, active): the token works.</source>
        <translation>sellers/me: {seller} (id {id}, đang hoạt động): token dùng được.</translation>
    </message>
    <message>
        <source>sellers/me: {seller} (id {id}, inactive): the token works.</source>
        <translation>sellers/me: {seller} (id {id}, ngừng hoạt động): token dùng được.</translation>
    </message>
    <message>
        <source>Check failed: {reason}</source>
        <translation>Kiểm tra thất bại: {reason}</translation>
    </message>
    <message>
        <source>Token forgotten.</source>
        <translation>Đã xóa token.</translation>
    </message>
    <message>
        <source>Could not forget the token: {reason}</source>
        <translation>Không xóa được token: {reason}</translation>
    </message>
</context>
<context>
    <name>SystemBrowserPane</name>
    <message>
        <source>Authorization URL</source>
        <translation>URL cấp quyền</translation>
    </message>
    <message>
        <source>The sign-in page&apos;s address</source>
        <translation>Địa chỉ trang đăng nhập</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Copy the authorization URL</source>
        <translation>Sao chép URL cấp quyền</translation>
    </message>
    <message>
        <source>Copy the sign-in page&apos;s address, to open it in a browser yourself</source>
        <translation>Sao chép địa chỉ trang đăng nhập để tự mở trong trình duyệt</translation>
    </message>
    <message>
        <source>Open browser again</source>
        <translation>Mở lại trình duyệt</translation>
    </message>
    <message>
        <source>Open the browser again</source>
        <translation>Mở lại trình duyệt</translation>
    </message>
    <message>
        <source>Browser message</source>
        <translation>Thông báo của trình duyệt</translation>
    </message>
    <message>
        <source>Requests the listener refused</source>
        <translation>Các yêu cầu bị từ chối trong lúc chờ chuyển hướng</translation>
    </message>
    <message>
        <source>Address the browser ended on:</source>
        <translation>Địa chỉ cuối cùng trên trình duyệt:</translation>
    </message>
    <message>
        <source>Pasted redirect URL</source>
        <translation>URL chuyển hướng đã dán</translation>
    </message>
    <message>
        <source>Paste the whole address here, e.g. https://…?code=…</source>
        <translation>Dán toàn bộ địa chỉ vào đây, ví dụ https://…?code=…</translation>
    </message>
    <message>
        <source>Use this URL</source>
        <translation>Dùng URL này</translation>
    </message>
    <message>
        <source>Use the pasted URL</source>
        <translation>Dùng URL đã dán</translation>
    </message>
    <message>
        <source>Why the pasted URL was refused</source>
        <translation>Lý do URL đã dán bị từ chối</translation>
    </message>
    <message>
        <source>If the browser did not open, copy this address into one:</source>
        <translation>Nếu trình duyệt không tự mở, hãy sao chép địa chỉ này vào trình duyệt:</translation>
    </message>
    <message>
        <source>Sign in to Tiki and allow access in your browser. It then goes to {redirect_uri}: copy the whole address from the browser&apos;s address bar (even if the page itself shows an error) and paste it below.</source>
        <translation>Đăng nhập Tiki và bấm Cho phép trên trình duyệt. Sau đó trình duyệt chuyển đến {redirect_uri}: hãy sao chép toàn bộ địa chỉ trên thanh địa chỉ (kể cả khi trang báo lỗi) và dán vào bên dưới.</translation>
    </message>
    <message>
        <source>Sign in to Tiki and allow access in your browser. This app listens on {redirect_uri} until the browser comes back there, then closes the listener.</source>
        <translation>Đăng nhập Tiki và bấm Cho phép trên trình duyệt. Ứng dụng chờ tại {redirect_uri} cho đến khi trình duyệt quay về đó, rồi ngừng chờ.</translation>
    </message>
    <message>
        <source>Refused {count} request(s) to the redirect URI that did not come from this sign-in; still waiting for the browser. Last: {reason}</source>
        <translation>Đã từ chối {count} yêu cầu gửi đến redirect URI không thuộc lượt đăng nhập này; vẫn đang chờ trình duyệt. Lần gần nhất: {reason}</translation>
    </message>
    <message>
        <source>The system browser could not be opened: copy the address instead.</source>
        <translation>Không mở được trình duyệt hệ thống: hãy sao chép địa chỉ.</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <source>Timeline of the last sign-in (secrets masked)</source>
        <translation>Diễn biến của lượt đăng nhập gần nhất (đã che thông tin bí mật)</translation>
    </message>
    <message>
        <source>Sign-in timeline</source>
        <translation>Diễn biến đăng nhập</translation>
    </message>
    <message>
        <source>Each step of a sign-in is listed here, with timings.</source>
        <translation>Từng bước của một lượt đăng nhập được liệt kê ở đây, kèm thời gian.</translation>
    </message>
    <message>
        <source>Copy as text</source>
        <translation>Sao chép dạng văn bản</translation>
    </message>
    <message>
        <source>Copy the timeline</source>
        <translation>Sao chép diễn biến</translation>
    </message>
    <message>
        <source>Copy the timeline as text, for a bug report</source>
        <translation>Sao chép diễn biến dạng văn bản, để gửi báo lỗi</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Diễn biến</translation>
    </message>
</context>
<context>
    <name>TokenManager</name>
    <message>
        <source>Seller</source>
        <translation>Nhà bán</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Hết hạn</translation>
    </message>
    <message>
        <source>Last refresh</source>
        <translation>Làm mới gần nhất</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>Token manager</source>
        <translation>Quản lý token</translation>
    </message>
    <message>
        <source>Sellers with a stored token</source>
        <translation>Nhà bán có token đã lưu</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Copy the seller&apos;s access token</source>
        <translation>Sao chép access token của Nhà bán</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Refresh the token now</source>
        <translation>Làm mới token ngay</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <source>Check the token with sellers/me</source>
        <translation>Kiểm tra token bằng sellers/me</translation>
    </message>
    <message>
        <source>Forget…</source>
        <translation>Xóa…</translation>
    </message>
    <message>
        <source>Forget the token</source>
        <translation>Xóa token</translation>
    </message>
    <message>
        <source>Authorize again</source>
        <translation>Cấp quyền lại</translation>
    </message>
    <message>
        <source>Run the authorization again for this profile</source>
        <translation>Chạy lại luồng cấp quyền cho hồ sơ này</translation>
    </message>
    <message>
        <source>Result of the last token action</source>
        <translation>Kết quả thao tác token gần nhất</translation>
    </message>
    <message>
        <source>No stored tokens for this profile yet: authorize to add a seller.</source>
        <translation>Hồ sơ này chưa có token nào được lưu: hãy cấp quyền để thêm Nhà bán.</translation>
    </message>
    <message>
        <source>no expiry given</source>
        <translation>không có thời hạn</translation>
    </message>
    <message>
        <source>{status} — working…</source>
        <translation>{status} — đang xử lý…</translation>
    </message>
    <message>
        <source>refresh interrupted</source>
        <translation>làm mới bị gián đoạn</translation>
    </message>
    <message>
        <source>Access token of {seller}</source>
        <translation>Access token của {seller}</translation>
    </message>
    <message>
        <source>Forget token</source>
        <translation>Xóa token</translation>
    </message>
    <message>
        <source>Forget the token of {seller} ({id})? It is deleted from the system keyring; the seller must authorize the app again to get a new one.</source>
        <translation>Xóa token của {seller} ({id})? Token sẽ bị xóa khỏi keyring của hệ thống; Nhà bán phải cấp quyền lại cho ứng dụng để có token mới.</translation>
    </message>
</context>
<context>
    <name>TokenPanel</name>
    <message>
        <source>expired</source>
        <translation>đã hết hạn</translation>
    </message>
    <message>
        <source>expired {clock} ago</source>
        <translation>đã hết hạn {clock} trước</translation>
    </message>
    <message>
        <source>expires in {days} days</source>
        <translation>hết hạn sau {days} ngày</translation>
    </message>
    <message>
        <source>expires in {clock}</source>
        <translation>hết hạn sau {clock}</translation>
    </message>
    <message>
        <source>{date_time} {zone} (local time)</source>
        <translation>{date_time} {zone} (giờ địa phương)</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>Access token</translation>
    </message>
    <message>
        <source>Refresh token</source>
        <translation>Refresh token</translation>
    </message>
    <message>
        <source>Token type</source>
        <translation>Loại token</translation>
    </message>
    <message>
        <source>Granted scope</source>
        <translation>Scope được cấp</translation>
    </message>
    <message>
        <source>Expires at</source>
        <translation>Hết hạn lúc</translation>
    </message>
    <message>
        <source>Time left before the access token expires</source>
        <translation>Thời gian còn lại trước khi access token hết hạn</translation>
    </message>
    <message>
        <source>Show tokens</source>
        <translation>Hiện token</translation>
    </message>
    <message>
        <source>Show or mask both tokens</source>
        <translation>Hiện hoặc che cả hai token</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Copy access token</source>
        <translation>Sao chép access token</translation>
    </message>
    <message>
        <source>Copy as header</source>
        <translation>Sao chép dạng header</translation>
    </message>
    <message>
        <source>Copy access token as Authorization header</source>
        <translation>Sao chép access token dạng header Authorization</translation>
    </message>
    <message>
        <source>Copies  Authorization: Bearer &lt;access token&gt;</source>
        <translation>Sao chép  Authorization: Bearer &lt;access token&gt;</translation>
    </message>
    <message>
        <source>Copy refresh token</source>
        <translation>Sao chép refresh token</translation>
    </message>
    <message>
        <source>Copy granted scope</source>
        <translation>Sao chép scope được cấp</translation>
    </message>
    <message>
        <source>&amp;Access token</source>
        <translation>&amp;Access token</translation>
    </message>
    <message>
        <source>&amp;Refresh token</source>
        <translation>&amp;Refresh token</translation>
    </message>
    <message>
        <source>Token t&amp;ype</source>
        <translation>Loại t&amp;oken</translation>
    </message>
    <message>
        <source>&amp;Granted scope</source>
        <translation>&amp;Scope được cấp</translation>
    </message>
    <message>
        <source>E&amp;xpires</source>
        <translation>&amp;Hết hạn</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tokens&lt;/b&gt;</source>
        <translation>&lt;b&gt;Token&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Tokens are masked; the Copy buttons copy the real value. Stored tokens of every seller are listed under Stored tokens.</source>
        <translation>Token đang được che; các nút Sao chép sẽ sao chép giá trị thật. Token đã lưu của mọi Nhà bán nằm ở mục Token đã lưu.</translation>
    </message>
    <message>
        <source>None: request the offline scope to get one</source>
        <translation>Không có: hãy yêu cầu scope offline để nhận refresh token</translation>
    </message>
    <message>
        <source>Not stated by the server</source>
        <translation>Máy chủ không nêu</translation>
    </message>
    <message>
        <source>No expiry given by the server</source>
        <translation>Máy chủ không cho biết thời hạn</translation>
    </message>
    <message>
        <source>Authorization header</source>
        <translation>Header Authorization</translation>
    </message>
    <message>
        <source>Hide tokens</source>
        <translation>Ẩn token</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Authorize</source>
        <translation>&amp;Cấp quyền</translation>
    </message>
    <message>
        <source>Try it on the &amp;sandbox</source>
        <translation>Thử với &amp;sandbox</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;Tokens</source>
        <translation>To&amp;ken</translation>
    </message>
    <message>
        <source>&amp;Copy access token</source>
        <translation>&amp;Sao chép access token</translation>
    </message>
    <message>
        <source>Show the &amp;previous tokens</source>
        <translation>Hiện lại token &amp;trước đó</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About tiki-gui</source>
        <translation>&amp;Giới thiệu tiki-gui</translation>
    </message>
    <message>
        <source>The tokens of the previous sign-in.</source>
        <translation>Token của lượt đăng nhập trước.</translation>
    </message>
    <message>
        <source>About tiki-gui</source>
        <translation>Giới thiệu tiki-gui</translation>
    </message>
    <message>
        <source>&lt;b&gt;tiki-gui %1&lt;/b&gt;&lt;br&gt;Runs Tiki Marketplace&apos;s OAuth 2.0 authorization code flow for integrators.&lt;br&gt;&lt;br&gt;Tiki&apos;s documentation: %2</source>
        <translation>&lt;b&gt;tiki-gui %1&lt;/b&gt;&lt;br&gt;Chạy luồng authorization code OAuth 2.0 của Tiki Marketplace dành cho các đơn vị tích hợp.&lt;br&gt;&lt;br&gt;Tài liệu của Tiki: %2</translation>
    </message>
</context>
<context>
    <name>WindowSignIn</name>
    <message>
        <source>Checking that the token endpoint answers…</source>
        <translation>Đang kiểm tra token endpoint có phản hồi không…</translation>
    </message>
    <message>
        <source>The tokens on screen were not copied or stored: Tokens &gt; Show the previous tokens brings them back.</source>
        <translation>Token trên màn hình chưa được sao chép hay lưu lại: Token &gt; Hiện lại token trước đó sẽ khôi phục chúng.</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>not encrypted</source>
        <translation>không mã hóa</translation>
    </message>
    <message>
        <source>Page from {host} ({security})</source>
        <translation>Trang từ {host} ({security})</translation>
    </message>
</context>
<context>
    <name>WindowStorage</name>
    <message>
        <source>Fill in the form (client secret included) to authorize again.</source>
        <translation>Hãy điền biểu mẫu (kể cả client secret) để cấp quyền lại.</translation>
    </message>
</context>
</TS>
