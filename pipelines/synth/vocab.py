"""Table vocabulary of the national templates (row labels, columns) and naming data, as data.

Row labels follow template_spec.md: table 二 (第二十条 blocks), table 三 (applications, 7 applicant
columns) and table 四 (reconsideration and litigation, 15 cells), for the 2019 and 2021 formats.
"""

from __future__ import annotations

APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
OUTCOME_GROUP = "三、本年度办理结果"

REFUSED_SUBROWS = (
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
)
UNABLE_SUBROWS = ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
NOT_PROCESSED_SUBROWS = (
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
)
OTHER_SUBROWS_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)

# Table 三 rows in order: (key, label, sub-row labels, inside the 三、本年度办理结果 group).
# A category's metric is the sum of its sub-rows; keys double as metric names where they are one.
APPLICATION_ROWS = {
    "2019": (
        ("applications_new", "一、本年新收政府信息公开申请数量", (), False),
        ("applications_carried_in", "二、上年结转政府信息公开申请数量", (), False),
        ("granted", "（一）予以公开", (), True),
        ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (), True),
        ("refused", "（三）不予公开", REFUSED_SUBROWS, True),
        ("unable_to_provide", "（四）无法提供", UNABLE_SUBROWS, True),
        ("not_processed", "（五）不予处理", NOT_PROCESSED_SUBROWS, True),
        ("other_processed", "（六）其他处理", (), True),
        ("processed_total", "（七）总计", (), True),
        ("carried_forward", "四、结转下年度继续办理", (), False),
    ),
}
APPLICATION_ROWS["2021"] = tuple(
    (key, label, OTHER_SUBROWS_2021 if key == "other_processed" else subs, grouped)
    for key, label, subs, grouped in APPLICATION_ROWS["2019"]
)
OUTCOME_KEYS = (
    "granted", "partly_granted", "refused", "unable_to_provide", "not_processed", "other_processed",
)

REVIEW_PARTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_SUFFIXES = ("upheld", "corrected", "other", "pending", "total")
REVIEW_BLOCKS = ("行政复议", "未经复议直接起诉", "复议后起诉")

# Table 二: (block title, column headers, rows); each row is (label, metric fed by its last column).
SECTION_TWO = {
    "2019": (
        ("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
         (("规章", None), ("规范性文件", None))),
        ("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
         (("行政许可", "licensing_decisions"), ("其他对外管理服务事项", None))),
        ("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
         (("行政处罚", "penalty_decisions"), ("行政强制", "coercion_decisions"))),
        ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"), (("行政事业性收费", None),)),
        ("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"), (("政府集中采购", None),)),
    ),
    "2021": (
        ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
         (("规章", None), ("行政规范性文件", None))),
        ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), (("行政许可", "licensing_decisions"),)),
        ("第二十条第（六）项", ("信息内容", "本年处理决定数量"),
         (("行政处罚", "penalty_decisions"), ("行政强制", "coercion_decisions"))),
        ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), (("行政事业性收费", None),)),
    ),
}

SECTION_HEADINGS = {
    "narrative": (
        ("一、概述", "一、基本情况", "一、总体情况"),
        ("二、主动公开政府信息情况", "二、政府信息主动公开情况"),
        ("三、依申请公开政府信息情况", "三、依申请公开政府信息办理情况"),
        ("四、政府信息公开的收费及减免情况", "四、政府信息公开收费及减免情况"),
        ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "五、申请行政复议和提起行政诉讼情况"),
        ("六、存在的主要问题及改进情况", "六、存在问题及下步工作措施"),
    ),
    "table": (
        ("一、总体情况",),
        ("二、主动公开政府信息情况",),
        ("三、收到和处理政府信息公开申请情况",),
        ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
        ("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"),
        ("六、其他需要报告的事项",),
    ),
}

# Words for "the whole area" and "the government's own organs", by administrative type.
WHOLE_WORD = {
    "省": "全省", "自治区": "全区", "直辖市": "全市", "地级市": "全市", "自治州": "全州", "地区": "全区",
    "盟": "全盟", "县": "全县", "自治县": "全县", "县级市": "全市", "旗": "全旗", "自治旗": "全旗",
    "特区": "全区", "市辖区": "全区", "林区": "全区", "镇": "全镇", "乡": "全乡", "街道": "全街道",
}
OWN_WORD = {
    "省": "省本级", "自治区": "自治区本级", "直辖市": "市本级", "地级市": "市本级", "自治州": "州本级",
    "地区": "地区本级", "盟": "盟本级",
}

TOWNSHIP_STEMS = (
    "城关", "新华", "和平", "东风", "红旗", "青山", "柳林", "王庄", "李庄", "大河", "石桥", "白马",
    "长岭", "黄土", "马坊", "龙泉", "清河", "杨柳", "双井", "三里", "唐村", "高桥", "东岗", "西湖",
)
TOWNSHIP_SUFFIXES = ("镇", "镇", "乡", "街道")

# Departments by era: the 2018 机构改革 renamed several of them.
DEPARTMENTS_BEFORE_2019 = (
    "财政局", "教育局", "国土资源局", "环境保护局", "住房和城乡建设局", "交通运输局", "民政局",
    "卫生和计划生育委员会", "工商行政管理局", "人力资源和社会保障局", "工信局", "统计局", "审计局",
)
DEPARTMENTS_FROM_2019 = (
    "财政局", "教育局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "民政局",
    "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "农业农村局", "应急管理局", "司法局",
    "统计局", "审计局", "发展和改革委员会",
)
