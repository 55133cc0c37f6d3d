# Fifth held-out set: en passages with hand codes (South Asia and the global side).
# codes: I=information, S=symbolic, M=leverage.material, O=leverage.moral,
#        A=accountability, G=leverage with neither child. "" = all zeros.
# neg: kind of hard negative (only for all-zero passages), else None.
# Coding rules: validation/README.md, "Who coded, and how" and "Hard negatives".
# Written and hand-coded for the fifth held-out set on 2026-11-28, blind to the dictionary entries;
# tanda was not run on these passages before the codes were fixed.
# Events, figures and details are invented or approximate; no sentence is copied from a real source.
P = [
dict(lang="en", reg="un_report", codes="OA", neg=None,
     note="treaty-body concern and urging addressed to the State party = moral; enforcement gap of an adopted labour law and penalties rarely imposed = accountability",
     text="""The Committee welcomes the 2018 amendment of the Bangladesh Labour Act but is concerned that the ban on hazardous work below the age of 14 is seldom enforced in the informal economy, that labour inspectors have no mandate to enter private households, and that only a handful of employers of child domestic workers have ever been penalised. The Committee urges the State party to extend labour inspection to domestic work, to provide the Department of Inspection for Factories and Establishments with adequate staff and funds, and to align the minimum age for light work with its obligations under the Convention."""),

dict(lang="en", reg="un_report", codes="I", neg=None,
     note="UN agency compiles and circulates data on victims, shares and routes = information; no demand, no ranking",
     text="""Children accounted for roughly 41 per cent of the trafficking victims detected in South Asia during the reporting period, a larger share than in any other region apart from sub-Saharan Africa. Girls identified in India and Nepal had mostly been exploited sexually, whereas boys found in Pakistan and Bangladesh were more often in forced labour in brick kilns, farming and street begging. Most detected flows were domestic or ran between neighbouring countries; a smaller stream led from Bangladesh and Nepal to Gulf states, frequently on documents that overstated the child's age, according to national data compiled for this edition."""),

dict(lang="en", reg="un_report", codes="IOA", neg=None,
     note="the rapporteur's own interviews during the visit = information; calls on the Government = moral; no prosecutions under the 2002 act = accountability; trap: family debts are not material leverage",
     text="""During her visit the Special Rapporteur met freed kamaiya and haliya families in Kailali and Dadeldhura and spoke with children who had worked in embroidery and carpet workshops in the Kathmandu Valley to help clear debts owed by their parents. Many households told her they had received neither the land nor the rehabilitation support promised when bonded labour was abolished, and she was informed that no employer has been prosecuted under the Kamaiya Labour (Prohibition) Act since it entered into force. She calls on the Government to complete land distribution without delay and to investigate and prosecute all cases of debt bondage."""),

dict(lang="en", reg="news", codes="M", neg=None,
     note="trap: ranking tier reported without its findings = material only, not information; aid restrictions at stake",
     text="""Washington has again placed Sri Lanka on the Tier 2 Watch List in its annual Trafficking in Persons report, released on Tuesday, the third year in a row the island has been kept there. Under US law a country that stays on the watch list for a further year without a waiver is automatically moved down to Tier 3, which can mean curbs on non-humanitarian assistance and American votes against loans from multilateral lenders. A foreign ministry spokesman in Colombo said officials would study the report before commenting."""),

dict(lang="en", reg="news", codes="MOA", neg=None,
     note="duty-free access under GSP+ at stake = material; mission asks the government to publish figures = moral; near-zero convictions under the kiln law = accountability; export share is background",
     text="""A European Union monitoring mission wrapped up a week of meetings in Islamabad and Lahore on Friday with a blunt message: Pakistan's duty-free access to European markets under the GSP+ scheme depends on visible progress against bonded and child labour. The head of the mission told Punjab officials that inspections under the province's 2016 brick kiln law had produced almost no convictions, and asked the government to publish how many kiln owners had been fined or charged before the scheme is reviewed next year. Textiles make up roughly three quarters of Pakistan's exports to the bloc."""),

dict(lang="en", reg="news", codes="S", neg=None,
     note="procession, banners, street plays, songs, candles = symbolic; no demand delivered to a named decision-maker, so not moral",
     text="""Several thousand schoolchildren, teachers and members of mothers' groups walked through Janakpur on Sunday carrying hand-painted banners reading 'Books, not brides', the last leg of a three-week procession across eight districts of Madhesh Province. At stops along the way, youth troupes performed short plays in Maithili and Bhojpuri about a girl married off at thirteen, and local musicians wrote songs for the occasion. The walk ended at dusk with hundreds of clay lamps lit around the Ganga Sagar pond."""),

dict(lang="en", reg="news", codes="SO", neg=None,
     note="petition and silent protest = symbolic; petition delivered with a demand to a named minister = moral; a promised review is not yet accountability",
     text="""Campaigners handed a petition signed by more than 180,000 people to the Minister for Expatriates' Welfare and Overseas Employment in Dhaka on Wednesday, demanding an end to the dispatch of girls with falsified passport ages to domestic jobs in Saudi Arabia. Outside the ministry gates, dozens of returnee women stood in silence holding photographs of relatives who had died abroad while the delegation met officials. The minister told reporters he would order a review of how the Bureau of Manpower, Employment and Training checks applicants' ages."""),

dict(lang="en", reg="ngo_report", codes="I", neg=None,
     note="NGO's own structured interviews documenting minors in venues = information; trap: customers pressuring girls is pressure on victims, not leverage",
     text="""Between March and October our outreach workers held structured interviews with 212 girls and young women employed in dance bars, cabin restaurants and massage parlours in Thamel, Koteshwor and Gongabu. Thirty-eight per cent said they had started the work before the age of eighteen; the youngest was twelve. Most had come from Sindhupalchowk, Makwanpur and Nuwakot after the 2015 earthquake, and more than half reported being pressured by customers into sex. Annex 2 lists the kinds of venue where minors were found and an estimate of the number of such premises in each ward."""),

dict(lang="en", reg="ngo_report", codes="IO", neg=None,
     note="NGO interviews with under-age migrants = information; calls on Nepal, Sri Lanka and Kuwait = moral (boomerang-style appeal to destination state included)",
     text="""This report draws on interviews with 63 women from Nepal and Sri Lanka who travelled to Kuwait, Oman and the United Arab Emirates as domestic workers before they turned eighteen, on passports whose dates of birth had been altered by sub-agents. Many described having their documents taken, going months without pay and working up to eighteen hours a day. We call on the governments of Nepal and Sri Lanka to check the age of every departing domestic worker against birth registration records, and on the Government of Kuwait to let domestic workers change employer without the sponsor's consent."""),

dict(lang="en", reg="ngo_report", codes="SM", neg=None,
     note="posters, room cards and film = symbolic; hotel group's sponsorship/corporate partnership = material; trap: 'hotel lobbies' here is the campaign site, not a lobby negative",
     text="""With financial backing from a regional hotel group, the 'Not On My Watch' awareness drive ran from January to June in 46 properties in Colombo, Galle and along the south coast. Posters in hotel lobbies and lifts reminded guests that sexually abusing a child is a crime both in Sri Lanka and in their home countries, and cards left in every room gave the number of the child helpline. The group's sponsorship also paid for a six-minute film, played on in-room televisions, in which a former beach boy tells his own story."""),

dict(lang="en", reg="news", codes="A", neg=None,
     note="conviction and sentence under POCSO reported as an event = accountability; trap: court-ordered compensation and the offender's funding of the shelter are not material leverage",
     text="""A children's court in Panaji on Thursday sentenced a 64-year-old British national to twelve years of rigorous imprisonment for sexually assaulting three boys at a shelter he had helped finance near Calangute. The judge convicted him under the Protection of Children from Sexual Offences Act and ordered him to pay ₹5 lakh in compensation to each survivor. The man, who had spent part of every year in Goa since 2006, will appeal against the verdict, his lawyer said."""),

dict(lang="en", reg="news", codes="A", neg=None,
     note="arrests and remand under the 2007 trafficking act = accountability; trap: the sum the girls were told they would owe is a victims' debt, not material leverage",
     text="""Police in Rupandehi on Monday arrested four people, among them the owner of a Kathmandu manpower company, on charges of trafficking six teenage girls who were to be flown from New Delhi to Dubai on forged Indian papers. The girls, stopped at the Belahiya border point, told investigators they had been warned they would each owe the agent Rs 300,000 if they changed their minds. A district court remanded the suspects in custody for twelve days under the Human Trafficking and Transportation (Control) Act, 2007."""),

dict(lang="en", reg="academic", codes="I", neg=None,
     note="statistics bureau survey and rights group's follow-up study reported on = information; trap: donor funding of research is not material leverage",
     text="""Reliable figures on child domestic work in Bangladesh have long been scarce, but the picture has sharpened since 2020. A household survey carried out by the Bangladesh Bureau of Statistics with funding from the Swiss development agency estimated that around 330,000 children aged 5 to 17 were working in other people's homes, four out of five of them girls. A separate study by a Dhaka rights group, which followed 400 child domestic workers over two years, found that one in six had been beaten by employers and that almost none were enrolled in school."""),

dict(lang="en", reg="academic", codes="MA", neg=None,
     note="threatened US import ban = material; MoU with unannounced inspections checking factory compliance = accountability; trap: historical framing does not make it a history negative, and school stipends for children are services, not leverage",
     text="""The Bangladeshi garment case is routinely cited as a textbook instance of trade pressure. When the Child Labor Deterrence Act was tabled in the US Congress in 1992, threatening to bar imports made with child labour, factory owners laid off tens of thousands of under-age workers almost overnight. The 1995 Memorandum of Understanding between the BGMEA, the ILO and UNICEF then set up a monitoring system in which inspection teams made unannounced visits to check whether factories were keeping to the agreement, while the dismissed children were offered school places and a modest monthly stipend."""),

dict(lang="en", reg="academic", codes="S", neg=None,
     note="posters, wall paintings, music videos and street dramas described = symbolic; trap: the author's own coding of the posters is method, not information",
     text="""For this article we coded 94 posters, billboards and leaflets produced for anti-trafficking campaigns in Nepal between 1998 and 2018. The earlier materials, often painted on walls near border crossings such as Kakarbhitta and Birgunj, warned girls against strangers offering jobs in the city; later ones, spread as stickers and music videos, featured returnee survivors singing about their own journeys. Street plays performed in village squares by local youth clubs carried the same messages and usually closed with the audience repeating a pledge aloud."""),

dict(lang="en", reg="ngo_report", codes="IO", neg=None,
     note="coalition compiles helpline reports = information; letter with demands to two named companies = moral; trap: viewers' payments through mobile wallets are money inside the abuse, not material leverage",
     text="""On 12 March our coalition of eleven organisations from Bangladesh, India and Nepal wrote to the chief executives of Meta and Telegram asking them to detect and block live-streamed child sexual abuse on their video-call and channel features, and to disclose each quarter how many such accounts they remove in South Asia. The letter was based on 1,140 reports received by member helplines in 2023, of which 310 concerned children in Bangladesh abused on camera for overseas viewers who paid through mobile wallets."""),

dict(lang="en", reg="academic", codes="AM", neg=None,
     note="supplier audit measuring hotels against the operator's code-of-conduct clauses = accountability; dropped allotment contracts and lost bookings = material; trap: the author's own interviews with managers are not information",
     text="""Membership of The Code is often dismissed as a cheap badge, yet our material suggests it can bite. After its 2019 supplier audit found that two beach resorts in North Goa had no child-protection policy and had never trained front-desk staff, as the clauses of its code of conduct for suppliers require, a Dutch tour operator removed both hotels from its brochure and declined to renew their allotment contracts. Managers we interviewed in Candolim said the lost bookings, about a fifth of winter occupancy, prompted them to appoint a child-protection focal person within months."""),

dict(lang="en", reg="ngo_report", codes="SO", neg=None,
     note="walk-through installation at a trade fair = symbolic; letter with demands handed to a named booking platform's managers = moral",
     text="""At ITB Berlin in March our volunteers built a life-size 'hotel room' outside the main hall, with a child's sandals beside the bed and the caption 'Who checked in?'. Several thousand trade visitors walked through it over three days. On the second day we handed a letter to senior managers of one of the largest online booking platforms, asking the company to demand proof of registration from every guesthouse and homestay it lists in Nepal and Sri Lanka and to add a button for reporting suspected abuse of children to its app."""),

dict(lang="en", reg="ngo_report", codes="MA", neg=None,
     note="budget support tranche conditional on benchmarks and withheld = material (aid conditions); joint review of plan targets and implementation spending = accountability only; trap: a compliance review is not information",
     text="""Release of the second tranche of the Netherlands' budget support to Bangladesh's labour ministry was tied to three benchmarks: a working child labour monitoring unit in every division, publication of inspection results, and the withdrawal of children from the 38 occupations declared hazardous. The 2022 joint review found that only two divisions had set up a unit, that the National Plan of Action's targets for 2021 had been missed by a wide margin and that less than a third of the implementation budget had been spent. The tranche was withheld pending further progress."""),

dict(lang="en", reg="ngo_report", codes="ISO", neg=None,
     note="NGO survey of child domestic workers = information; letter urging withdrawal of a proposal sent to the Presidential Secretariat = moral; hashtag campaign = symbolic",
     text="""Our survey of 312 child domestic workers in Nuwara Eliya, Badulla and Colombo found that most had been recruited from tea estate families at thirteen or fourteen and that fewer than one in five ever had a day off. We sent the findings to the Presidential Secretariat on 12 June with a letter urging the President to withdraw the draft regulation that would exempt household work from the minimum employment age of sixteen. The same week our member groups launched #NotAServant, which trended nationally for two days."""),

dict(lang="en", reg="academic", codes="IA", neg=None,
     note="NGO court-watch documenting cases, victims' ages and origins = information; conviction rate, adjournments and bail before charge sheet = accountability",
     text="""Evidence on what happens after rescue is thin, which makes the court-watch records kept by a Kolkata-based NGO unusually valuable. Between 2016 and 2021 its volunteers sat through hearings in 312 trafficking cases in West Bengal's district courts, noting each victim's age, the district she had been taken from and every adjournment. Only 27 cases ended in a conviction; in more than half, the survivor was summoned to testify over five times, and in 61 the accused had been released on bail before a charge sheet was even filed."""),

dict(lang="en", reg="news", codes="ISO", neg=None,
     note="survivors testifying to legislators = information; their requests to committee members = moral; candlelight vigil with placards = symbolic",
     text="""Seven survivors of trafficking from West Bengal, Andhra Pradesh and Maharashtra appeared on Tuesday before the parliamentary standing committee scrutinising the anti-trafficking bill, describing how they had been sold to brothels in Pune and Mumbai as teenagers. They asked committee members to write a guaranteed rehabilitation fund into the bill and to stop rescued girls from being treated as accused persons. Outside Parliament, about two hundred supporters kept a silent candlelight vigil, holding placards with the survivors' first names."""),

dict(lang="en", reg="ngo_report", codes="IM", neg=None,
     note="field researchers counting children in mica collection = information; buyers' alliance making purchase orders depend on traceability = material (contracts); trap: adopting a contract clause is not yet accountability",
     text="""Our field researchers visited 25 villages in the Koderma and Giridih districts of Jharkhand and counted 1,370 children between six and seventeen picking mica scrap from abandoned pits, many of them during school hours. Following our first report, an alliance of cosmetics and paint manufacturers rewrote its purchasing contracts so that orders now depend on exporters tracing every consignment of mica back to the village where it was collected and showing that no child was involved."""),

dict(lang="en", reg="news", codes="SM", neg=None,
     note="campaign ambassador, TV spots, quiz contests, ringback tune = symbolic; mobile operator's sponsorship pledge = material; trap: a cricketer as campaign ambassador is neither sports pressure nor a diplomatic ambassador",
     text="""The captain of the national women's cricket team was unveiled on Monday as ambassador of a nationwide campaign against child marriage that will run television spots, school quiz contests and a ringback tune heard by callers in place of the dial tone. The campaign is organised by UNICEF and the women and children affairs ministry and sponsored by the country's biggest mobile operator, which has pledged Tk 5 crore over three years and will send text messages on the issue to its 80 million subscribers."""),

dict(lang="en", reg="statute", codes="A", neg=None,
     note="official order cancelling a recruiting agency's licence and referring it for prosecution = accountability (sanction under an adopted rule); trap: forfeited deposit is a penalty, not material leverage",
     text="""Government of Nepal, Department of Foreign Employment. Notice. Whereas an inquiry conducted under the Foreign Employment Act, 2064 (2007) has established that Himal Sagar Overseas Pvt. Ltd., licence no. 1187/070/71, sent three persons below the age of eighteen years to the State of Kuwait for domestic employment on passports bearing false dates of birth, the licence of the said company is hereby cancelled with effect from the date of this notice, the cash deposit furnished by it is forfeited, and the matter is referred to the Foreign Employment Tribunal for action against its proprietors."""),

# ---- hard negatives ----
dict(lang="en", reg="academic", codes="", neg="analyst's own method (author's interviews, content analysis)",
     note="hard negative: the article's own interviews and newspaper coding; no actor produces or circulates data as a tactic",
     text="""This paper draws on 46 semi-structured interviews conducted between 2021 and 2023 with returnee migrant workers in Sunsari and Dhanusha districts, 19 of whom had first migrated before the age of eighteen, and on a content analysis of 1,200 articles on labour migration published in three Nepali dailies. Interviews were held in Nepali or Maithili, recorded with consent and transcribed; all names have been changed. The press sample was drawn from digital archives with a keyword list, and two coders classified every article independently."""),

dict(lang="en", reg="statute", codes="", neg="statutory penal provision, nobody held to it",
     note="hard negative: offence and penalty set out in statute text; no arrest, case or compliance is reported",
     text="""Section 6. Prohibition of trafficking in children.—(1) No person shall sell, buy, recruit, receive, transfer, conceal or harbour a child, whether within or outside Bangladesh, for the purpose of sexual exploitation, forced labour or any other form of exploitation. (2) Any person who contravenes sub-section (1) shall be punishable with imprisonment for life, or with rigorous imprisonment for a term of not less than five years, and with a fine of not less than fifty thousand taka. Explanation.—For the purposes of this section, the consent of the child shall be of no effect."""),

dict(lang="en", reg="news", codes="", neg="another country's policy, no advocacy",
     note="hard negative: Saudi labour reform reported as government policy; no one presses for it, no child angle argued",
     text="""Saudi Arabia's labour reform initiative, which came into effect on Sunday, allows most foreign employees in the private sector to switch jobs and to leave the country without their employer's permission once their contracts have ended. The rules, handled through the Qiwa and Absher online platforms, apply to roughly ten million expatriates but do not cover domestic workers, who fall under separate regulations. The human resources ministry said the changes were meant to raise productivity and make the market more attractive to skilled workers."""),

dict(lang="en", reg="academic", codes="", neg="historical background",
     note="hard negative: nineteenth-century plantation recruitment and citizenship history; child work mentioned but no tactic",
     text="""Indenture and the kangany system brought several hundred thousand Tamil labourers from southern India to the coffee and later tea plantations of Ceylon in the nineteenth century. Whole families were recruited, and children were set to plucking and weeding from an early age, their wages handed to the head of the gang. After independence in 1948 the Citizenship Act left most estate Tamils stateless, a situation settled only gradually through agreements with India in 1964 and 1974 and through legislation passed in 2003."""),

dict(lang="en", reg="news", codes="", neg="tourism statistics as plain background",
     note="hard negative: arrivals, source markets, earnings and occupancy as economic news; no revenue put at stake by anyone",
     text="""Sri Lanka received just over 1.48 million foreign visitors in 2023, almost twice the previous year's figure, as the industry recovered from the economic crisis and the aftermath of the Easter Sunday bombings. India was the largest source market, followed by Russia, the United Kingdom and Germany, according to the tourism development authority. Earnings from tourism were put at around $2 billion, and hotels on the south coast reported average occupancy of 62 per cent over the December peak."""),

dict(lang="en", reg="ngo_report", codes="", neg="victims' services described neutrally",
     note="hard negative: transit home routine, counselling and referral; no data compiled, no demand, no compliance",
     text="""The transit home in Biratnagar has twenty beds and is staffed day and night by two counsellors, a nurse and a house mother. Girls and young women intercepted at the eastern border usually stay for three to ten days while staff trace their families. During this time they are given meals, clean clothes, a medical check-up and, where needed, psychosocial counselling; those who cannot go home are referred to a longer-stay shelter in Kathmandu that runs literacy classes and tailoring courses."""),

dict(lang="en", reg="news", codes="", neg="election campaign",
     note="hard negative: parliamentary election campaigning, posters and pledges; not a symbolic advocacy campaign",
     text="""Campaigning for the parliamentary seat covering Cox's Bazar and Teknaf entered its final week on Friday, with candidates filling the town's market lanes with loudspeaker vans and strings of posters across the roads. The ruling party's nominee promised a new fishing harbour and jobs in the Sabrang tourism zone, while his main rival vowed to stamp out drug smuggling from Myanmar. Election officials said 42 polling centres in the constituency had been classed as vulnerable."""),

dict(lang="en", reg="news", codes="", neg="commercial sales campaign",
     note="hard negative: airline fare promotion aimed at migrant workers; 'campaign' is commercial, no advocacy",
     text="""A Dhaka-based private carrier on Monday launched a month-long 'Fly Home for Eid' sales campaign, offering one-way fares from Riyadh, Jeddah and Dammam to Dhaka, Chattogram and Sylhet from 699 riyals. The airline, which added four A320neo jets to its fleet this year, said the promotion targeted Bangladeshi migrant workers in the kingdom and included an extra 10 kg of checked baggage. Tickets are sold through its mobile app, travel agents and a new sales office in Riyadh's Batha district."""),

dict(lang="en", reg="news", codes="", neg="diplomatic ambassador",
     note="hard negative: ambassador in the diplomatic sense presenting credentials; routine bilateral talk about workers' welfare is not advocacy",
     text="""Nepal's newly appointed ambassador to Qatar presented her credentials to the Emir at the Amiri Diwan in Doha on Wednesday. During the short audience the two sides discussed direct flights, investment in hydropower and the welfare of the roughly 400,000 Nepalis living in the Gulf state, according to an embassy statement. The ambassador, a former joint secretary at the foreign ministry, previously served as deputy chief of mission in New Delhi."""),

dict(lang="en", reg="un_report", codes="", neg="purely technical training",
     note="hard negative: document-examination course for immigration officers; technical skills, test scores are not data on the problem",
     text="""Under the project, IOM ran a five-day course in travel document examination for 36 immigration officers posted at Tribhuvan International Airport and at the Kakarbhitta and Bhairahawa land crossings. Modules covered the security features of machine-readable passports, the use of ultraviolet lamps and magnifiers, spotting substituted photographs, and operating the new passport readers linked to the border management information system. Participants sat a practical test at the end of the course, and the average score rose from 54 to 81 per cent."""),

dict(lang="en", reg="academic", codes="", neg="poverty as push factor",
     note="hard negative: landholding, food security and remittances explain early migration; poverty is not material leverage",
     text="""Household poverty remains the most consistent predictor of early migration in the districts we studied. Landholdings in the western hills average less than half a hectare, food grown by the family lasts most households five to seven months a year, and remittances now make up close to a quarter of Nepal's gross domestic product. When a harvest fails or a parent falls ill, sending a teenage son to a Malaysian factory or a daughter to work in an Indian city becomes one of the few options a family has left."""),
]
