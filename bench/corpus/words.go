package corpus

// The word lists and phrase pools the generator draws from. They are written
// for this generator (not copied prose) and cover the column's subjects:
// administrative reform, science and technology, and the procedures of the
// Department. Everything here is Vietnamese in NFC.

// units are the offices that act in the generated prose.
var units = []string{
	"Sở Khoa học và Công nghệ",
	"Văn phòng Sở",
	"Thanh tra Sở",
	"Phòng Kế hoạch – Tài chính",
	"Phòng Quản lý Khoa học",
	"Phòng Quản lý Công nghệ và Thị trường công nghệ",
	"Phòng Quản lý Chuyên ngành",
	"Chi cục Tiêu chuẩn Đo lường Chất lượng",
	"Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ",
	"Trung tâm Thông tin và Thống kê khoa học và công nghệ",
	"Bộ phận Một cửa của Sở",
	"Ban Chỉ đạo cải cách hành chính của Sở",
}

// unitGroups are plural subjects for instructions.
var unitGroups = []string{
	"các phòng, đơn vị thuộc Sở",
	"công chức, viên chức của Sở",
	"các đơn vị sự nghiệp trực thuộc",
	"người đứng đầu các phòng, đơn vị",
	"cán bộ làm công tác kiểm soát thủ tục hành chính",
	"các tổ chức khoa học và công nghệ trên địa bàn tỉnh",
}

// did are past actions, used after a unit.
var did = []string{
	"đã triển khai",
	"đã tổ chức thực hiện",
	"tiếp tục đẩy mạnh",
	"đã hoàn thành",
	"đã chủ động rà soát",
	"đã xây dựng và ban hành kế hoạch về",
	"đã tập trung chỉ đạo",
	"đã phối hợp với các sở, ngành liên quan thực hiện",
	"đã kiểm tra, đôn đốc",
	"đã quán triệt và triển khai",
	"bước đầu thực hiện có hiệu quả",
}

// must are obligations, used after a plural subject.
var must = []string{
	"phải thường xuyên",
	"cần tập trung",
	"có trách nhiệm",
	"chủ động",
	"khẩn trương",
	"tiếp tục",
}

// tasks are what units do; they follow a verb.
var tasks = []string{
	"việc tiếp nhận và giải quyết hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
	"rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết của Sở",
	"số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
	"công khai, minh bạch thông tin về thủ tục hành chính",
	"duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
	"kiểm tra việc thực hiện quy chế văn hóa công vụ",
	"tuyên truyền về cải cách hành chính trên Trang Thông tin điện tử của Sở",
	"rà soát vị trí việc làm và cơ cấu ngạch công chức",
	"cập nhật quy trình nội bộ giải quyết thủ tục hành chính",
	"theo dõi, đánh giá Chỉ số hài lòng của người dân, tổ chức (SIPAS)",
	"nâng cao chất lượng tham mưu xây dựng văn bản quy phạm pháp luật",
	"triển khai chữ ký số trong gửi, nhận văn bản điện tử",
	"thực hiện cơ chế tự chủ tài chính tại các đơn vị sự nghiệp công lập",
	"tiếp nhận, xử lý phản ánh, kiến nghị của người dân, doanh nghiệp",
	"quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh theo hướng công khai",
	"hỗ trợ doanh nghiệp đổi mới công nghệ và xác lập quyền sở hữu trí tuệ",
	"kiểm tra nhà nước về đo lường và chất lượng sản phẩm, hàng hóa",
	"bảo đảm an toàn bức xạ tại các cơ sở X-quang chẩn đoán y tế",
	"xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
	"phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo",
	"ứng dụng công nghệ thông tin trong chỉ đạo, điều hành",
	"lưu trữ hồ sơ điện tử theo quy định",
	"sắp xếp, kiện toàn tổ chức bộ máy tinh gọn, hiệu quả",
	"đánh giá, xếp loại công chức, viên chức gắn với kết quả thực hiện nhiệm vụ",
}

// purposes say why; they follow a comma.
var purposes = []string{
	"nhằm nâng cao chất lượng phục vụ người dân, doanh nghiệp",
	"góp phần cải thiện Chỉ số cải cách hành chính (PAR Index) của tỉnh",
	"bảo đảm thủ tục hành chính được giải quyết đúng hạn, minh bạch",
	"tạo thuận lợi tối đa cho tổ chức, cá nhân khi thực hiện thủ tục",
	"từng bước xây dựng nền hành chính chuyên nghiệp, hiện đại",
	"hướng đến chính quyền số và nền kinh tế số",
	"giảm thời gian đi lại và chi phí tuân thủ cho người dân",
	"nâng cao trách nhiệm người đứng đầu trong thực thi công vụ",
	"phù hợp với điều kiện thực tế của địa phương",
	"đáp ứng yêu cầu của Chương trình tổng thể cải cách hành chính nhà nước",
}

// qualities are what the work must ensure.
var qualities = []string{
	"đúng tiến độ và chất lượng đề ra",
	"công khai, minh bạch, đúng quy định",
	"thiết thực, hiệu quả, tránh hình thức",
	"thống nhất từ Sở đến các đơn vị trực thuộc",
	"an toàn, bảo mật thông tin",
}

// findings and issues are what an inspection found.
var findings = []string{
	"phần lớn hồ sơ được giải quyết trước và đúng hạn",
	"quy trình nội bộ được niêm yết đầy đủ tại Bộ phận Một cửa",
	"tỷ lệ hồ sơ trực tuyến tăng rõ rệt so với cùng kỳ",
	"việc số hóa kết quả giải quyết thủ tục được thực hiện nghiêm túc",
	"hệ thống văn bản nội bộ được cập nhật kịp thời",
}

var issues = []string{
	"một số hồ sơ còn phải bổ sung nhiều lần do hướng dẫn chưa rõ",
	"hạ tầng công nghệ thông tin ở một số đơn vị chưa đồng bộ",
	"việc khai thác dữ liệu dùng chung còn hạn chế",
	"một bộ phận người dân chưa quen sử dụng dịch vụ công trực tuyến",
	"nhân lực làm công tác chuyển đổi số còn mỏng",
	"việc cập nhật thủ tục hành chính mới công bố có lúc còn chậm",
}

var proposals = []string{
	"tăng cường tập huấn kỹ năng sử dụng dịch vụ công trực tuyến",
	"bổ sung kinh phí đầu tư hạ tầng công nghệ thông tin",
	"kết nối, chia sẻ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư",
	"đẩy mạnh thanh toán trực tuyến phí, lệ phí",
	"hoàn thiện quy chế phối hợp giữa các phòng, đơn vị",
	"biểu dương kịp thời tập thể, cá nhân có thành tích tiêu biểu",
}

var citizenActions = []string{
	"tra cứu tình trạng hồ sơ",
	"nộp hồ sơ và nhận kết quả",
	"gửi phản ánh, kiến nghị",
	"đánh giá mức độ hài lòng",
	"thanh toán phí, lệ phí",
}

var channels = []string{
	"trên Cổng Dịch vụ công quốc gia",
	"qua Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
	"tại Bộ phận Một cửa của Sở",
	"qua dịch vụ bưu chính công ích",
	"qua ứng dụng trên điện thoại di động",
}

var indices = []string{
	"Chỉ số cải cách hành chính (PAR Index)",
	"Chỉ số hài lòng của người dân, tổ chức (SIPAS)",
	"Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)",
	"Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)",
	"Chỉ số chuyển đổi số (DTI)",
}

var rankPhrases = []string{
	"tăng so với năm trước",
	"xếp nhóm khá của cả nước",
	"cao hơn mức trung bình của khu vực",
	"đạt mục tiêu nghị quyết đề ra",
	"giảm nhẹ ở một số chỉ số thành phần",
}

var sciTopics = []string{
	"ứng dụng công nghệ sinh học trong nông nghiệp",
	"bảo tồn nguồn gen cây dược liệu",
	"chuyển đổi số trong doanh nghiệp nhỏ và vừa",
	"năng lượng tái tạo ở vùng ven biển",
	"truy xuất nguồn gốc nông sản",
	"nâng cao năng suất chất lượng sản phẩm, hàng hóa",
	"xử lý chất thải rắn sinh hoạt",
	"phát triển sản phẩm OCOP",
}

var attendees = []string{
	"lãnh đạo Sở và trưởng các phòng, đơn vị",
	"đại diện Sở Nội vụ và Văn phòng UBND tỉnh",
	"công chức làm việc tại Bộ phận Một cửa",
	"đại diện các doanh nghiệp khoa học và công nghệ",
	"hơn 60 đại biểu là công chức, viên chức",
}

var people = []string{
	"Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Tuấn", "Phạm Thị Hương", "Võ Đức Thắng",
	"Huỳnh Thị Lan", "Đặng Quốc Bảo", "Bùi Thị Thu Hà", "Đỗ Thanh Sơn", "Ngô Thị Kim Oanh",
}

var positions = []string{
	"Giám đốc Sở", "Phó Giám đốc Sở", "Chánh Văn phòng Sở", "Chánh Thanh tra Sở",
	"Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng", "Giám đốc Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ",
}

var quotes = []string{
	"cải cách hành chính phải lấy người dân, doanh nghiệp làm trung tâm",
	"mỗi công chức phải là một tuyên truyền viên về dịch vụ công trực tuyến",
	"không để hồ sơ nào trễ hạn mà không có lý do chính đáng",
	"chuyển đổi số là nhiệm vụ thường xuyên, không phải phong trào",
	"kết quả cải cách được đo bằng sự hài lòng của người dân",
}

// articleHeadings are the section titles of articles.
var articleHeadings = []string{
	"Kết quả nổi bật", "Những khó khăn, hạn chế", "Nhiệm vụ trọng tâm thời gian tới",
	"Giải pháp thực hiện", "Tổ chức thực hiện", "Một số số liệu chính", "Kiến nghị, đề xuất",
	"Bối cảnh", "Cách thức triển khai", "Đánh giá chung", "Ý kiến của người dân, doanh nghiệp",
	"Ứng dụng công nghệ thông tin", "Về cải cách thủ tục hành chính", "Về cải cách tổ chức bộ máy",
	"Về xây dựng chính quyền số", "Về hiện đại hóa hành chính", "Phân công trách nhiệm",
	"Về cải cách tài chính công", "Về cải cách chế độ công vụ", "Kinh nghiệm rút ra",
}

// documentHeadings are the section titles of document summaries.
var documentHeadings = []string{
	"Phạm vi điều chỉnh", "Đối tượng áp dụng", "Nội dung chủ yếu", "Những điểm mới",
	"Trách nhiệm của các cơ quan, đơn vị", "Tổ chức thực hiện", "Hiệu lực thi hành",
	"Kinh phí thực hiện", "Chế độ báo cáo", "Mục tiêu", "Nhiệm vụ và giải pháp",
}

// procedureExtraHeadings pad a procedure listing after its fixed sections.
var procedureExtraHeadings = []string{
	"Lưu ý khi chuẩn bị hồ sơ", "Những trường hợp thường gặp", "Hướng dẫn nộp trực tuyến",
	"Giải đáp vướng mắc", "Thông tin liên hệ", "Quy trình nội bộ",
}

// Article titles: a unit, an action and an object, with a time.
var titleActions = []string{
	"triển khai", "đẩy mạnh", "tổng kết", "sơ kết", "kiểm tra", "tổ chức tập huấn về", "tổ chức hội nghị về",
	"ban hành kế hoạch", "đánh giá kết quả", "nâng cao hiệu quả", "tuyên truyền về", "rà soát",
}

var titleObjects = []string{
	"cải cách hành chính", "dịch vụ công trực tuyến toàn trình", "số hóa hồ sơ thủ tục hành chính",
	"Hệ thống quản lý chất lượng ISO 9001:2015", "chuyển đổi số", "kiểm soát thủ tục hành chính",
	"văn hóa công vụ", "cơ chế một cửa, một cửa liên thông", "Chỉ số SIPAS", "Chỉ số PAR Index",
	"chính quyền điện tử", "đổi mới sáng tạo", "chuyển giao công nghệ", "an toàn bức xạ",
	"sở hữu trí tuệ", "tiêu chuẩn, đo lường, chất lượng", "tự chủ tài chính", "vị trí việc làm",
	"khởi nghiệp đổi mới sáng tạo", "thanh toán trực tuyến phí, lệ phí",
}

var titleTimes = []string{
	"năm %d", "6 tháng đầu năm %d", "quý I năm %d", "quý II năm %d", "quý III năm %d",
	"quý IV năm %d", "giai đoạn 2021–2025", "tháng %d", "",
}

var titleUnits = []string{
	"Sở Khoa học và Công nghệ", "Sở KH&CN Quảng Ngãi", "Chi cục TĐC", "Trung tâm Ứng dụng và Dịch vụ KH&CN",
	"Quảng Ngãi", "",
}

var tagPool = []string{
	"cải cách hành chính", "dịch vụ công trực tuyến", "ISO 9001:2015", "chuyển đổi số", "một cửa",
	"SIPAS", "PAR Index", "PAPI", "PCI", "văn hóa công vụ", "số hóa", "khởi nghiệp",
	"chuyển giao công nghệ", "sở hữu trí tuệ", "an toàn bức xạ", "đo lường", "tài chính công",
	"tuyên truyền", "kiểm soát thủ tục hành chính", "chính quyền số",
}

var authors = []string{
	"Văn phòng Sở", "Trung tâm Ứng dụng và Dịch vụ KH&CN", "Chi cục Tiêu chuẩn Đo lường Chất lượng",
	"Phòng Quản lý Khoa học", "Thanh tra Sở", "Ban biên tập",
}

// Procedures.
var procActions = []string{
	"Cấp", "Cấp lại", "Sửa đổi, bổ sung", "Gia hạn", "Điều chỉnh nội dung", "Thẩm định hồ sơ đề nghị cấp",
	"Xác nhận", "Đăng ký",
}

var procObjects = []string{
	"Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
	"Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
	"Giấy phép tiến hành công việc bức xạ",
	"Chứng chỉ nhân viên bức xạ",
	"Giấy chứng nhận đăng ký hợp đồng chuyển giao công nghệ",
	"Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
	"Giấy xác nhận đăng ký hoạt động xét tặng giải thưởng về khoa học và công nghệ",
	"Giấy chứng nhận đăng ký văn phòng đại diện của tổ chức khoa học và công nghệ",
	"Giấy chứng nhận đủ điều kiện hoạt động dịch vụ đánh giá sự phù hợp",
	"Thông báo tiếp nhận hồ sơ công bố hợp chuẩn",
	"Thông báo tiếp nhận hồ sơ công bố hợp quy",
	"Quyết định chỉ định tổ chức thử nghiệm",
	"Giấy xác nhận khai báo thiết bị X-quang chẩn đoán trong y tế",
	"Thông báo kết quả kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu",
	"Giấy chứng nhận chuẩn đo lường",
	"Quyết định hỗ trợ kinh phí đăng ký quyền sở hữu công nghiệp",
	"Quyết định giao trực tiếp nhiệm vụ khoa học và công nghệ cấp tỉnh",
	"Giấy phép vận chuyển hàng nguy hiểm là chất phóng xạ",
	"Giấy chứng nhận cơ sở ươm tạo công nghệ",
	"Giấy xác nhận đăng ký lưu hành mẫu phương tiện đo",
}

var procQualifiers = []string{
	"", "đối với tổ chức", "đối với cá nhân", "trên địa bàn tỉnh", "cho cơ sở X-quang chẩn đoán y tế",
	"trong trường hợp bị mất, hư hỏng", "do thay đổi tên, địa chỉ trụ sở", "đối với doanh nghiệp nhỏ và vừa",
	"cho tổ chức ngoài công lập", "theo hình thức trực tuyến", "(cấp tỉnh)", "lần đầu",
}

var procFields = []string{
	"Hoạt động khoa học và công nghệ", "Chuyển giao công nghệ", "An toàn bức xạ và hạt nhân",
	"Tiêu chuẩn, đo lường, chất lượng", "Sở hữu trí tuệ", "Năng lượng nguyên tử",
	"Doanh nghiệp khoa học và công nghệ", "Thông tin khoa học và công nghệ",
}

var applicants = []string{
	"Tổ chức khoa học và công nghệ có trụ sở chính trên địa bàn tỉnh",
	"Doanh nghiệp, hợp tác xã, hộ kinh doanh trên địa bàn tỉnh",
	"Cơ sở y tế sử dụng thiết bị X-quang chẩn đoán",
	"Tổ chức, cá nhân trong nước và nước ngoài",
	"Cá nhân làm công việc bức xạ",
	"Tổ chức chủ trì nhiệm vụ khoa học và công nghệ",
}

var dossierPapers = []string{
	"Đơn đề nghị theo mẫu", "Tờ khai thông tin", "Bản sao Giấy chứng nhận đăng ký doanh nghiệp",
	"Quyết định thành lập tổ chức", "Điều lệ tổ chức và hoạt động", "Bản khai lý lịch của người đứng đầu",
	"Danh sách nhân lực", "Giấy tờ chứng minh trụ sở", "Báo cáo đánh giá an toàn",
	"Hợp đồng chuyển giao công nghệ", "Biên bản nghiệm thu", "Bản thuyết minh kỹ thuật",
	"Kết quả thử nghiệm mẫu", "Giấy ủy quyền (nếu có)", "Bản sao văn bằng, chứng chỉ",
}

var procSteps = []string{
	"Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định và nộp tại Bộ phận Một cửa hoặc nộp trực tuyến.",
	"Bộ phận Một cửa kiểm tra tính đầy đủ của hồ sơ; nếu chưa hợp lệ, hướng dẫn bổ sung một lần bằng văn bản.",
	"Phòng chuyên môn thẩm định hồ sơ và trình lãnh đạo Sở xem xét.",
	"Trường hợp cần thiết, Sở tổ chức kiểm tra thực tế tại cơ sở.",
	"Lãnh đạo Sở ký kết quả hoặc văn bản trả lời nêu rõ lý do nếu không giải quyết.",
	"Bộ phận Một cửa trả kết quả trực tiếp, qua bưu chính công ích hoặc bản điện tử.",
	"Kết quả giải quyết được số hóa và lưu vào kho dữ liệu điện tử của tổ chức, cá nhân.",
}

var procConditions = []string{
	"Có trụ sở, cơ sở vật chất – kỹ thuật phù hợp với lĩnh vực đăng ký.",
	"Có nhân lực đáp ứng yêu cầu về trình độ chuyên môn.",
	"Không đang trong thời gian bị đình chỉ hoạt động.",
	"Thiết bị đã được kiểm định, hiệu chuẩn còn hiệu lực.",
	"Có quy trình, hướng dẫn bảo đảm an toàn được phê duyệt.",
	"Hồ sơ được lập bằng tiếng Việt; tài liệu bằng tiếng nước ngoài phải dịch sang tiếng Việt.",
}

// Documents.
var docTopics = []string{
	"thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
	"cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước",
	"kiểm soát thủ tục hành chính",
	"áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
	"chuyển giao công nghệ",
	"đăng ký hoạt động khoa học và công nghệ",
	"phát triển doanh nghiệp khoa học và công nghệ",
	"an toàn bức xạ và hạt nhân",
	"quản lý tiêu chuẩn, đo lường, chất lượng",
	"hỗ trợ phát triển tài sản trí tuệ",
	"hỗ trợ khởi nghiệp đổi mới sáng tạo",
	"chuyển đổi số và xây dựng chính quyền số",
	"số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
	"đánh giá, xác định Chỉ số cải cách hành chính",
	"tự chủ tài chính của đơn vị sự nghiệp công lập",
	"quản lý vị trí việc làm và cơ cấu ngạch công chức",
	"quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh",
	"kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu",
	"văn thư, lưu trữ hồ sơ điện tử",
	"tiếp nhận, xử lý phản ánh, kiến nghị của người dân, doanh nghiệp",
	"tuyên truyền cải cách hành chính",
	"thực hiện văn hóa công vụ",
}

var lawNames = []string{
	"Luật Khoa học và Công nghệ", "Luật Chuyển giao công nghệ", "Luật Tiêu chuẩn và Quy chuẩn kỹ thuật",
	"Luật Đo lường", "Luật Năng lượng nguyên tử", "Luật sửa đổi, bổ sung một số điều của Luật Sở hữu trí tuệ",
	"Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức", "Luật Giao dịch điện tử",
	"Luật Chất lượng sản phẩm, hàng hóa", "Luật Tổ chức chính quyền địa phương", "Luật Phổ biến, giáo dục pháp luật",
	"Luật Tiếp cận thông tin",
}

var signers = []string{
	"Đặng Văn Minh", "Trần Phước Hiền", "Nguyễn Thị Hoa", "Phạm Trường Thọ", "Lê Quang Thích", "Võ Phiên",
}

var docFields = []string{
	"Cải cách hành chính", "Khoa học và công nghệ", "Chuyển đổi số", "Tiêu chuẩn, đo lường, chất lượng",
	"Tổ chức bộ máy", "Tài chính công", "Kiểm soát thủ tục hành chính", "Sở hữu trí tuệ",
}

// areaIDs are the content areas of every generated plan (as in content/plans/2022.yaml).
var areaIDs = []string{"II.1", "II.2.a", "II.2.b", "II.2.c", "II.2.d", "II.2.e", "II.2.f", "II.3", "II.5"}

var areaTitles = []string{
	"Văn bản chỉ đạo của Trung ương, của tỉnh về cải cách hành chính",
	"Công tác chỉ đạo, điều hành",
	"Cải cách thể chế",
	"Cải cách thủ tục hành chính",
	"Cải cách tổ chức bộ máy",
	"Cải cách chế độ công vụ",
	"Cải cách tài chính công",
	"Ứng dụng công nghệ thông tin, xây dựng chính quyền điện tử hướng đến chính quyền số",
	"Áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
}
