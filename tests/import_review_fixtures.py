"""A plan whose assignees the test directory does not all know: a position, the office's Văn phòng, a department,
and the districts as a group."""

PLAN_WITH_A_POSITION = """ỦY BAN MTTQ VIỆT NAM
TỈNH NINH BÌNH
BAN THƯỜNG TRỰC
Số: 12/KH-MTTQ-BTT
Ninh Bình, ngày 10 tháng 02 năm 2026
KẾ HOẠCH
Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư năm 2026
Thực hiện Chương trình phối hợp thống nhất hành động năm 2026, Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh xây dựng Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Phát huy truyền thống đại đoàn kết toàn dân tộc.
2. Tổ chức Ngày hội thiết thực, hiệu quả, tiết kiệm.
II. NỘI DUNG
1. Tổ chức Ngày hội ở tất cả các khu dân cư trong tỉnh.
2. Biểu dương gia đình, cá nhân tiêu biểu.
III. TỔ CHỨC THỰC HIỆN
1. Đồng chí Phó Chủ tịch Thường trực, phụ trách công tác tuyên truyền
- Chỉ đạo xây dựng đề cương tuyên truyền Ngày hội, hoàn thành trước ngày 15/10/2026.
- Theo dõi, đôn đốc các đơn vị thực hiện Kế hoạch này.
2. Văn phòng Ủy ban MTTQ Việt Nam tỉnh
- Bảo đảm kinh phí, cơ sở vật chất tổ chức Ngày hội cấp tỉnh.
- Tổng hợp kết quả Ngày hội, báo cáo Ban Thường trực trước ngày 30/11/2026.
3. Ban Tuyên giáo
- Biên tập tài liệu tuyên truyền gửi các huyện, thành phố trước ngày 30/9/2026.
4. Ban Thường trực Ủy ban MTTQ Việt Nam các huyện, thành phố
- Chỉ đạo Ban Công tác Mặt trận ở khu dân cư tổ chức Ngày hội, báo cáo kết quả trước ngày 20/11/2026.
Trên đây là Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026.
Nơi nhận:
- Ban Thường trực Ủy ban MTTQVN tỉnh;
- Ban Thường trực Ủy ban MTTQVN các huyện, thành phố;
- Lưu: VT.
TM. BAN THƯỜNG TRỰC
PHÓ CHỦ TỊCH
Nguyễn Văn Bình
"""
POSITION = "Đồng chí Phó Chủ tịch Thường trực, phụ trách công tác tuyên truyền"
OFFICE_STAFF = "Văn phòng Ủy ban MTTQ Việt Nam tỉnh"
