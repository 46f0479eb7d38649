"""Narrative wording as data: alternatives for every sentence a report states a figure in.

Placeholders: {year}, {who} (全市 / 我局 / 省本级 ...), {issuer}, and metric names, which the composer
fills with the figure as the report prints it. A sentence under ZERO states its metrics as 0 in words.
"""

from __future__ import annotations

TITLES = (
    "{region}{year}年政府信息公开工作年度报告",
    "{region}{year}年度政府信息公开工作年度报告",
    "{year}年{region}政府信息公开工作年度报告",
    "{region}关于{year}年度政府信息公开工作的年度报告",
)
INTROS = {
    "narrative": (
        "本报告根据《中华人民共和国政府信息公开条例》（国务院令第492号，以下简称《条例》）要求，由{issuer}"
        "办公室编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，"
        "请与{issuer}办公室联系。",
        "依据《中华人民共和国政府信息公开条例》和上级有关文件要求，特编制{issuer}{year}年度政府信息公开工作"
        "年度报告。报告所列数据统计期限为{year}年1月1日至{year}年12月31日。",
    ),
    "table": (
        "本报告由{issuer}办公室根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。报告中所列"
        "数据统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{issuer}办公室联系。",
        "根据《中华人民共和国政府信息公开条例》和{notice}有关要求，编写本报告。本报告中所列数据的统计期限自"
        "{year}年1月1日起至{year}年12月31日止。",
    ),
}
NOTICES = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}

PROACTIVE = (
    "{year}年，{who}主动公开政府信息{proactive_total}条。",
    "{year}年度{who}共主动公开政府信息{proactive_total}条，其中通过政府网站发布{web}条。",
    "全年{who}通过政府网站、政务新媒体等渠道主动公开各类政府信息{proactive_total}条。",
)
APPLICATIONS = (
    "{year}年，{who}共收到政府信息公开申请{applications_new}件",
    "全年{who}共受理政府信息公开申请{applications_new}件",
    "本年度{who}新收政府信息公开申请{applications_new}件",
)
CARRIED_IN = ("，上年结转{applications_carried_in}件",)
CHANNEL_LEAD = ("，其中", "，从申请方式看，")
CHANNELS = {
    "channel_in_person": ("当面申请{channel_in_person}件", "现场申请{channel_in_person}件"),
    "channel_online": ("网络申请{channel_online}件", "网上申请{channel_online}件"),
    "channel_letter": ("信函申请{channel_letter}件",),
    "channel_fax": ("传真申请{channel_fax}件",),
    "channel_email": ("电子邮件申请{channel_email}件",),
}
PROCESSED = (
    "；申请办结{processed_total}件", "，全年共办结{processed_total}件", "；已答复{processed_total}件",
)
OUTCOME_LEAD = ("，其中", "，从答复情况看，")
OUTCOMES = {
    "already_public": ("属于已主动公开范围的{already_public}件",),
    "granted": ("同意公开的{granted}件", "同意公开{granted}件"),
    "partly_granted": ("同意部分公开的{partly_granted}件",),
    "refused": ("不同意公开的{refused}件", "不予公开的{refused}件"),
    "not_this_agency": ("不属于本行政机关公开的{not_this_agency}件", "非本机关掌握的{not_this_agency}件"),
    "not_exist": ("申请信息不存在的{not_exist}件",),
    "amend_requested": ("告知作出更改补充的{amend_requested}件",),
    "other_route": ("告知通过其他途径办理的{other_route}件",),
}
CARRIED_FORWARD = ("，结转下年度继续办理{carried_forward}件",)
REVIEW_TOTAL = {
    "reconsideration": ("{who}因政府信息公开申请行政复议{reconsideration_total}件",
                        "全年{who}发生政府信息公开行政复议案件{reconsideration_total}件"),
    "litigation": ("{who}因政府信息公开提起行政诉讼{litigation_total}件",
                   "{who}发生政府信息公开行政诉讼案件{litigation_total}件"),
}
REVIEW_PARTS = {
    "upheld": ("维持具体行政行为{{{block}_upheld}}件", "结果维持{{{block}_upheld}}件"),
    "corrected": ("被依法纠错{{{block}_corrected}}件", "结果纠正{{{block}_corrected}}件"),
    "other": ("其他情形{{{block}_other}}件", "其他结果{{{block}_other}}件"),
    "pending": ("尚未审结{{{block}_pending}}件",),
}
COMPLAINTS = ("{year}年{who}办理政府信息公开投诉举报{complaints}件。",)
FEES = {
    "narrative": (
        "全年{who}共收取政府信息公开检索、复制、邮寄等费用{fees_yuan}元。",
        "{who}依申请公开收取费用{fees_yuan}元。",
    ),
    "table": (
        "本年度{who}共收取政府信息公开信息处理费{fees_yuan}元。",
        "全年{who}收取政府信息公开信息处理费{fees_yuan}元。",
    ),
}
# Sentences that state figures as zero in words, keyed by the metrics they set to 0.
ZERO = {
    ("applications_new",): (
        "{year}年，{who}未收到政府信息公开申请。",
        "本年度{who}没有收到要求政府信息公开的申请。",
    ),
    ("reconsideration_total", "litigation_total"): (
        "{year}年，{who}未发生因政府信息公开引起的行政复议、行政诉讼案件。",
        "{who}因政府信息公开事务引起的行政复议申请、行政诉讼案件为0件。",
    ),
    ("reconsideration_total",): ("{who}未发生因政府信息公开申请行政复议的案件。",),
    ("litigation_total",): ("{who}未发生因政府信息公开提起行政诉讼的案件。",),
    ("complaints",): ("全年{who}未收到有关政府信息公开工作的投诉举报。",),
    ("fees_yuan",): (
        "{year}年，{who}未收取政府信息公开相关费用。",
        "{who}未发生对政府信息公开申请人进行收费的情况。",
        "{year}年，{who}各行政机关全部免费为申请人提供政府信息。",
    ),
}
SUMMARY_APPLICATIONS = ("{year}年{who}受理政府信息公开申请{applications_new}件，均在法定期限内答复。",)

# Work narrative without figures, and sentences with figures that are no metric (distractors).
FILLER = (
    "{who}高度重视政府信息公开工作，明确分管领导和工作机构，配备专门工作人员。",
    "严格执行信息发布审核制度，坚持先审查、后公开，确保公开信息准确规范。",
    "持续加强政府门户网站和政务新媒体日常管理，及时关停整合更新不及时的账号。",
    "围绕群众关切做好政策解读和回应工作，提升政府信息公开的针对性和实效性。",
    "依申请公开办理流程进一步规范，答复文书格式统一，办理时限严格落实。",
    "工作中仍存在公开内容不够全面、部分栏目更新不够及时等问题。",
    "下一步，将继续加强业务培训，完善考核机制，推动政务公开工作再上新台阶。",
    "将政务公开工作纳入年度绩效考核，强化督促检查和责任追究。",
)
DISTRACTORS = (
    "发布政策解读材料{n}篇。",
    "召开新闻发布会{n}场。",
    "组织政务公开业务培训{n}次，培训人员{m}人次。",
    "政务微博、微信公众号发布信息{m}条。",
    "网站全年访问量达{m}人次。",
)
PUBLICATION_HEADERS = ("发布日期：{y}-{mm}-{dd}", "{y}-{mm}-{dd} 来源：{issuer}", "发布时间：{y}年{m}月{d}日")
SIGNATURES = ("{issuer}\n{y}年{m}月{d}日", "{issuer}办公室\n{cn_date}")
DUAL_HEADINGS = ("（一）{whole}情况", "（二）{own}情况")
TABLE_SUMMARY_HEADS = ("（一）主动公开情况。", "（二）依申请公开情况。")
