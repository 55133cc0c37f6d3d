# Fifth held-out set: en passages with hand codes (Thailand and the Mekong).
# codes: I=information, S=symbolic, M=leverage.material, O=leverage.moral,
#        A=accountability, G=leverage with neither child. "" = all zeros.
# neg: kind of hard negative (only for all-zero passages), else None.
# Coding rules: validation/README.md, "Who coded, and how" and "Hard negatives".
# Written and hand-coded for the fifth held-out set on 2026-11-28, blind to the dictionary entries;
# tanda was not run on these passages before the codes were fixed.
# Events, figures and details are invented or approximate; no sentence is copied from a real source.
P = [
# ---------------------------------------------------------------- news, positives
dict(lang="en", reg="news", codes="SO", neg=None,
     note="march with paper boats and banners = symbolic; open letter with concrete demands handed to the PM's office = moral leverage; a demand for new rules is not accountability",
     text="""About 300 migrant fishers and their supporters marched from Hua Lamphong station to Government House on Tuesday, carrying paper boats and banners reading "Wages, not chains". At the gate, representatives of Thai and Myanmar fishers' associations handed an open letter to an aide of the Prime Minister, asking the cabinet to forbid boat owners from keeping crew members' identity papers and ATM cards and to require that wages on every vessel above 30 gross tonnes be paid into workers' own bank accounts. An official promised a written reply within 30 days."""),

dict(lang="en", reg="news", codes="A", neg=None,
     note="convictions and sentences reported as events = accountability; trap: the crew's transport 'debts' and the court-ordered compensation are not material leverage",
     text="""The Songkhla Provincial Court on Thursday sentenced a trawler captain and two labour brokers to prison terms of between 14 and 22 years for trafficking eleven Myanmar men, two of them aged 16, who had been kept at sea for almost three years. Prosecutors told the court the crew had been informed they each owed 25,000 baht for transport and food, a sum deducted from wages they never actually received. The judges also ordered the three defendants to pay the victims a combined 1.2 million baht in compensation."""),

dict(lang="en", reg="news", codes="MO", neg=None,
     note="EU yellow card with export market at stake = material leverage; joint letter asking the Commission to keep the warning until labour abuses end = boomerang appeal, moral leverage",
     text="""Brussels handed Thailand a "yellow card" in April 2015, warning that seafood shipments worth roughly 600 million euros a year could be shut out of European markets unless the country brought its fishing fleet under control. Labour and environmental groups quickly saw an opening. In a joint letter to the European Commission's fisheries directorate, eight organisations urged officials not to lift the warning until Bangkok ended forced labour on its boats and allowed migrant crew to form and join unions."""),

dict(lang="en", reg="news", codes="M", neg=None,
     note="trap: ranking downgrade reported without any of its findings = material leverage only, no information",
     text="""Washington has moved Thailand down to Tier 3, the lowest grade in its annual ranking of how governments respond to human trafficking, placing the kingdom in the same category as North Korea and Syria. Under US law the downgrade can, in principle, cost a country access to some forms of non-humanitarian American assistance. A foreign ministry spokesman said Bangkok was disappointed, that the grade ignored reforms of the past year, and that the government would keep working with its partners on the issue."""),

dict(lang="en", reg="news", codes="IA", neg=None,
     note="court monitoring that documents the cases (victims' ages, nationalities) = information and accountability",
     text="""For the past two years volunteers from a Bangkok lawyers' network have sat in on 37 trafficking hearings at the Criminal Court, noting each defendant, the age and nationality of every victim and how often proceedings were postponed. Their tally, released on Monday, shows that child witnesses from Cambodia and Laos were sent home before giving evidence in nine of the cases, and that trials lasted 19 months on average, well beyond the target the court set for itself when it opened a specialised trafficking division in 2015."""),

dict(lang="en", reg="news", codes="S", neg=None,
     note="poster wall, short film and hashtag = symbolic; trap: urging visitors to report is an appeal to the general public, not moral leverage",
     text="""Passengers arriving at Suvarnabhumi airport this month are greeted by a wall of posters showing a child's sandal lying in an empty hotel corridor, under the words "It's not a holiday for everyone". The campaign, put together by a coalition of child-rights groups with volunteer designers, also includes a 60-second film screened in the arrivals hall and the hashtag #NotOnMyTrip. Organisers are asking visitors to report anything suspicious to a free hotline printed on every poster."""),

dict(lang="en", reg="news", codes="SOA", neg=None,
     note="arrest and charges = accountability; candlelight vigil = symbolic; request to the provincial governor to order inspections = moral leverage",
     text="""Police in Mae Sai arrested the owner of a karaoke bar and a female manager early on Saturday after finding five girls from Laos, the youngest aged 14, working as hostesses on the premises. Both have been charged under the Anti-Trafficking in Persons Act. On Sunday evening about 80 residents and members of a local children's rights group held a candlelight vigil outside the district office, and the group later wrote to the Chiang Rai governor asking him to order an inspection of every entertainment venue along the border road."""),

# ---------------------------------------------------------------- news, hard negatives
dict(lang="en", reg="news", codes="", neg="tourism statistics as plain background",
     note="hard negative: arrivals, occupancy and spending figures plus nightlife description; no actor uses any tactic",
     text="""Chonburi province received 9.4 million foreign visitors last year, provincial tourism officials said, with arrivals from China, Russia and India driving most of the growth. Hotel occupancy in Pattaya averaged 78 per cent, and spending by overseas guests passed 200 billion baht. Walking Street, the resort's strip of bars, go-go clubs and karaoke lounges, had its busiest December since 2019, while operators along Jomtien beach said charter flights from Kazakhstan had stretched the high season into April."""),

dict(lang="en", reg="news", codes="", neg="election campaign",
     note="hard negative: candidates' campaign promises to voters in a fishing port; an election campaign is not a symbolic tactic and promises are not leverage",
     text="""With a week to go before the vote, candidates crowded the fish market in Samut Sakhon at dawn, shaking hands with trawler owners, porters and ice-plant workers. The sitting MP's campaign truck blared promises to ease the rules on vessel licences, while volunteers from a rival party handed out leaflets pledging cheaper diesel for small boats. "The fishing industry has been squeezed for ten years," one candidate told the crowd. Polls suggest tight races in all three of the province's constituencies."""),

dict(lang="en", reg="news", codes="", neg="sports pressure / sports campaign",
     note="hard negative: 'pressure' and 'campaign' in the football sense",
     text="""Thailand's under-16 side arrives in Vientiane for the regional championship under heavy pressure after a 3-0 defeat by Vietnam in its final warm-up match. Half of the squad comes from academies in Chiang Rai and Nakhon Phanom, and the head coach said his boys were ready to campaign hard for a semi-final place. Hosts Laos open their own campaign against Cambodia on Friday evening, and organisers expect a full house at the New Laos National Stadium."""),

dict(lang="en", reg="news", codes="", neg="diplomatic ambassador",
     note="hard negative: ambassador in the diplomatic sense; courtesy call and routine bilateral agenda, no demand, no compliance measured",
     text="""Myanmar's newly appointed ambassador to Thailand presented his credentials at the Grand Palace on Wednesday and later paid a courtesy call on the Minister of Labour. The two men discussed the forthcoming renewal of work permits for more than a million Myanmar nationals employed in Thailand, many of them in fishing and seafood processing, and agreed to hold the next meeting of the joint labour working group in Mawlamyine in March. The ambassador also visited a migrant learning centre in Samut Sakhon."""),

dict(lang="en", reg="news", codes="", neg="another country's policy, no advocacy",
     note="hard negative: Vietnamese regulation summarised neutrally; nobody pressed or held to it",
     text="""Vietnam's Ministry of Labour, Invalids and Social Affairs has issued a circular listing the kinds of work that people aged 15 to under 18 may not take up. The list of more than 40 occupations includes diving, work aboard offshore fishing vessels, night shifts at shrimp ponds and jobs in bars, karaoke parlours and massage establishments. The circular takes effect in July, replaces a list issued in 2013, and permits children aged 13 to 15 to do only light work such as handicrafts."""),

# ---------------------------------------------------------------- ngo_report, positives
dict(lang="en", reg="ngo_report", codes="I", neg=None,
     note="NGO's own interviews compiling data on age, contracts and routes = information; trap: advances deducted from pay are debts inside the exploitation, not material leverage",
     text="""Between March and October our outreach workers spoke with 312 Myanmar and Cambodian deckhands at landing piers in Samut Sakhon and Ranong. One in five said they had first gone to sea before turning 18, and more than half had never seen a written contract. Most described travelling through brokers in Myawaddy or Poipet and reaching the coast hidden in pickup trucks. Many remained tied to their vessels by advances of 10,000 to 30,000 baht that captains deducted from their monthly pay."""),

dict(lang="en", reg="ngo_report", codes="A", neg=None,
     note="trap: review measures implementation of the national plan against its targets and budget = accountability only, not information",
     text="""Measured against its own targets, the national plan of action against the commercial sexual exploitation of children has delivered unevenly. Of 42 activities scheduled for 2009 to 2012, the review team found that 17 had been completed, 15 had started late and 10 never began. Provincial child-protection committees, which the plan required in every province, met regularly in only 31, and less than half of the money earmarked for reintegration services had been disbursed by the plan's final year."""),

dict(lang="en", reg="ngo_report", codes="SM", neg=None,
     note="corporate partnership with funding = material leverage; posters and multilingual cards = symbolic; traps: joining the code is not accountability, staff training is not symbolic, 'lobbies' are hotel lobbies",
     text="""In 2012 a Bangkok-based hotel group with 28 properties in Thailand, Laos and Cambodia joined The Code, the tourism industry's code of conduct for protecting children. Under a three-year partnership the group pays for the training we give its front-desk and security staff and has agreed to co-finance our regional hotline. Its lobbies and lifts now display our poster, and every guest room has a card explaining in five languages that sexual contact with a child is a crime wherever it takes place."""),

dict(lang="en", reg="ngo_report", codes="IO", neg=None,
     note="network compiles case files on recruitment and routes = information; recommendations addressed to named governments and a ministry = moral leverage",
     text="""Drawing on 146 case files from partner shelters in Savannakhet, Champasak and Ubon Ratchathani, the network traced how Lao girls aged 13 to 17 are recruited through acquaintances and social media, cross at the Friendship Bridge on day passes and end up in karaoke venues in north-eastern Thai towns. The report closes with recommendations to both governments: Vientiane should issue birth certificates to all children in border districts, and Thailand's Ministry of Social Development and Human Security should stop deporting identified victims before their cases are heard."""),

dict(lang="en", reg="ngo_report", codes="AM", neg=None,
     note="formal complaint, inspection and fine = accountability; importer suspending orders = material leverage; trap: back wages ordered by inspectors are not material leverage",
     text="""In June, with the network's assistance, eight Myanmar workers from a shrimp-peeling shed in Mahachai filed a complaint with the Department of Labour Protection and Welfare, stating that children as young as 12 worked the night shift and that pay fell below the legal minimum. Labour inspectors visited the shed twice, fined the owner and ordered him to pay back wages. Once the case became public, a US importer suspended orders from the processing company that had been buying from the shed until an independent audit is completed."""),

dict(lang="en", reg="ngo_report", codes="IM", neg=None,
     note="NGO's survey of working children = information; approved-supplier listing required by buyers = certification/contracts, material leverage; scheme conditions described, nobody's conduct measured, so not accountability",
     text="""Our 2013 survey of 520 children living in migrant communities around Samut Sakhon found that 38 per cent of those aged 13 to 17 were working in seafood processing, most of them in small pre-processing sheds that factory inspectors rarely visit. These findings fed into a good-practice scheme under which processors that keep children under 15 off the production floor and support schooling for workers' children can be listed as approved suppliers. Several large exporters and their overseas buyers now make such listing a condition of purchase."""),

dict(lang="en", reg="ngo_report", codes="S", neg=None,
     note="street theatre and comic book = symbolic; trap: audience reach figures are not information about the problem",
     text="""Every Friday during the dry season our youth troupe performs a 25-minute play in the market square of Poipet and in villages along the road to Sisophon. The story follows a 15-year-old girl who accepts a job offer across the border in Thailand, and spectators are invited to halt the action and suggest what she should do next. Last season 41 performances reached an estimated 9,000 people, and the script has since been turned into a comic book handed out in schools."""),

dict(lang="en", reg="ngo_report", codes="IA", neg=None,
     note="centre records children's origins and routes = information; tracking what police and prosecutors did with the cases = accountability",
     text="""In 2019 the centre's legal team handled 87 cases of children referred from Chiang Rai, Phayao and Tak: 61 involving sexual exploitation and 26 involving forced begging or domestic work. For each child we record the place of origin, the route taken and how recruitment happened. Of the 61 sexual exploitation cases, police opened an investigation in 44, prosecutors filed charges in 19, and just seven had reached a verdict by the end of the year. In three files the investigating officer closed the case without ever interviewing the child."""),

# ---------------------------------------------------------------- ngo_report, hard negative
dict(lang="en", reg="ngo_report", codes="", neg="victims' services described neutrally",
     note="hard negative: daily routine of a drop-in centre; attendance figure is about the service, not documentation of the problem",
     text="""The Mae Sot drop-in centre is open every day from 9 a.m. to 7 p.m. Children can take a shower, eat a hot meal, wash their clothes and join Burmese and Thai literacy classes in the afternoon. A nurse comes twice a week, and a social worker helps families apply for the health card available to migrants. Girls over 14 may stay overnight in a separate dormitory supervised by two house mothers. In 2020 the centre welcomed an average of 45 children a day."""),

# ---------------------------------------------------------------- academic, positives
dict(lang="en", reg="academic", codes="IM", neg=None,
     note="ranking report described as built on NGO documentation = information plus material leverage (tier, trade and investment at stake)",
     text="""The State Department's 2015 country narrative on Thailand leaned heavily on material supplied by non-governmental monitors: case notes on men rescued from vessels in eastern Indonesia, survivor testimonies gathered by labour organisations in Mahachai, and shelter records from Songkhla. That documentation underpinned the decision to keep Thailand at Tier 3 for a second consecutive year, a grade that Thai negotiators feared would spill over into trade talks and unsettle foreign investors already wary after the coup."""),

dict(lang="en", reg="academic", codes="MO", neg=None,
     note="suspended FTA used as lever = material; NGOs asking MEPs to press Bangkok and MEPs' letters = boomerang, moral leverage; traps: 'ambassador' is the diplomatic addressee, and a demand to ratify is leverage, not an accountability event",
     text="""After the May 2014 coup the European Union suspended negotiations on a free trade agreement with Thailand and froze official visits. Thai labour organisations made use of the stalemate. They asked contacts in the European Parliament to make any resumption of talks conditional on ratification of the ILO fundamental conventions and an end to abuse on fishing vessels, and several MEPs pressed the point in letters to the Thai ambassador in Brussels. The frozen agreement thus became a lever for domestic advocates with little access to the junta."""),

dict(lang="en", reg="academic", codes="IS", neg=None,
     note="founders compiled field studies estimating numbers of children = information; posters, press events and slogan = symbolic; historical setting but the tactics are the content",
     text="""ECPAT began in 1990 as a campaign rather than an organisation. Its founders, church and development workers who had met at a consultation in Chiang Mai, first pulled together field studies from Thailand, the Philippines and Sri Lanka estimating how many children were being sold to foreign visitors. They then turned those figures into a public story: posters of a child's face behind a hotel room key, press conferences in European capitals, and the refrain that children are not souvenirs."""),

dict(lang="en", reg="academic", codes="A", neg=None,
     note="enforcement gap measured by prosecution and conviction figures = accountability; traps: payments to police are bribes, not material leverage; the author's interviews with prosecutors are method, not information",
     text="""The prosecution record makes sobering reading. Between 2010 and 2014 Thai authorities identified more than 2,000 victims of trafficking, yet convictions under the 2008 Act averaged fewer than 150 a year, and only a handful involved the fishing sector. The prosecutors we interviewed pointed to a familiar set of obstacles: victims repatriated before trial, local police who collected monthly payments from brothel and boat owners, and the near absence of cases brought against officials themselves."""),

dict(lang="en", reg="academic", codes="SMO", neg=None,
     note="pledges and staged 'shrimp funeral' = symbolic; boycott threats and a dropped supplier = material; letters to named CEOs demanding traceability = moral; trap: the AP investigation is only the trigger, not information",
     text="""The Associated Press series on slave-caught seafood, published in 2015, was only the spark. What followed was a sustained consumer campaign in the United States and Britain: shoppers were asked to sign pledges, activists staged a mock shrimp funeral outside supermarkets, and groups threatened to boycott retailers whose prawns came from farms using fishmeal from Thai trash-fish trawlers. Letters to the chief executives of three supermarket chains and of Thai Union demanded fully traceable supply chains, and at least one chain dropped a supplier."""),

dict(lang="en", reg="academic", codes="IA", neg=None,
     note="UN-ACT's compiled data and returnee interviews = information (reported on, not the author's method); pledges under COMMIT and the bilateral MoU compared with delivery = accountability",
     text="""Under the COMMIT process the six Mekong governments agreed in 2004 to cooperate on identifying, returning and prosecuting. Drawing on data that UN-ACT compiled from national reports and from its own interviews with returnees, this section compares what each government promised in its sub-regional plans with what it delivered. Cambodia and Thailand, for instance, repatriated about 400 children under their bilateral memorandum between 2010 and 2014, yet neither had set up the joint case-management system that the memorandum required."""),

# ---------------------------------------------------------------- academic, hard negatives
dict(lang="en", reg="academic", codes="", neg="analyst's own method (author's interviews, content analysis)",
     note="hard negative: the article's own fieldwork and coding procedure; no actor produces or circulates information as a tactic",
     text="""This article is based on fieldwork carried out between 2016 and 2018 in Ranong and Kawthaung. We conducted 46 semi-structured interviews with former crew members, boat owners and brokers, recorded in Burmese and Thai and transcribed by two research assistants, and combined them with a content analysis of 280 Thai-language newspaper reports on fishing labour published since 2014. Interview material was coded inductively, and the names of people and vessels have been changed to protect respondents."""),

dict(lang="en", reg="academic", codes="", neg="historical background",
     note="hard negative: history of the sex industry; the 1960 law is mentioned with nobody held to it",
     text="""The expansion of commercial sex in Thailand is often traced to the 1960s, when American servicemen on rest and recreation leave from Vietnam began arriving in Bangkok, Pattaya and Udon Thani. Bars and massage parlours multiplied along Patpong and Sukhumvit roads, even though prostitution had formally been outlawed in 1960. When the bases closed in the mid-1970s the infrastructure stayed behind and was gradually reoriented towards the international tourists whom the government had begun to court."""),

# ---------------------------------------------------------------- un_report, positives
dict(lang="en", reg="un_report", codes="IO", neg=None,
     note="mission's own meetings with exploited children and their accounts = information; Special Rapporteur urging the Government = moral leverage",
     text="""During her visit the Special Rapporteur met children in shelters in Bangkok, Chiang Mai and Ranong and spoke with girls who had been exploited in bars near the Myanmar border. She heard consistent accounts of recruitment through relatives and neighbours and of police officers who were regular customers of the venues. The Special Rapporteur urges the Government to create a specialised unit to investigate the complicity of officials and to ensure that child victims are never held in immigration detention while awaiting deportation."""),

dict(lang="en", reg="un_report", codes="OA", neg=None,
     note="treaty-body concern and recommendation = moral leverage; inactive committees, few prosecutions and unimplemented registration law = accountability; noting adoption of laws alone would not be",
     text="""The Committee notes the adoption of the Child Protection Act of 2003 and the 2015 amendments to the Criminal Code criminalising possession of child sexual abuse material. It is concerned, however, that many provincial child-protection committees remain inactive, that few cases of sexual exploitation of children in travel and tourism have led to prosecution, and that children of migrant workers in coastal fishing communities still lack birth registration despite the Civil Registration Act. The Committee recommends that the State party allocate adequate resources to enforce these laws."""),

dict(lang="en", reg="un_report", codes="A", neg=None,
     note="implementation review against the COMMIT plan and ratification of ACTIP = accountability; trap: a compliance review is not information",
     text="""Progress in implementing the fourth COMMIT Sub-regional Plan of Action has been mixed. All six member countries now have national anti-trafficking legislation, and each has ratified the ASEAN Convention against Trafficking in Persons, Especially Women and Children. However, only three have met their commitment to adopt standard operating procedures for cross-border referral of victims, and two have yet to submit complete reports against the plan's indicators for the most recent period."""),

dict(lang="en", reg="un_report", codes="IS", neg=None,
     note="UNICEF-backed survey on prevalence = information; campaign fronted by a celebrity ambassador with videos = symbolic; traps: commissioning research is not material leverage, appeal to parents is not moral leverage",
     text="""A household survey commissioned by UNICEF and carried out with the Ministry of Social Development and Human Security in 2021 found that roughly one in ten internet-using children aged 12 to 17 had been offered money or gifts for sexual images during the past year. The results were released together with a public campaign fronted by a well-known Thai actor serving as UNICEF's national ambassador, featuring short videos that encourage parents and teenagers to talk openly about risks online."""),

# ---------------------------------------------------------------- un_report, hard negative
dict(lang="en", reg="un_report", codes="", neg="officials' study tour",
     note="hard negative: exchange visit of officials; observing crew-list checks is not measuring anyone's compliance",
     text="""Under the project's exchange component, a delegation of twelve officials from the Lao Ministry of Labour and Social Welfare and provincial police made a five-day study tour to Thailand in August. The group visited a Port-In Port-Out control centre in Songkhla, watched inspectors cross-check vessel crew lists against work permits, and spent a day at a government shelter in Nonthaburi. Participants will share their observations with colleagues at a workshop in Vientiane later in the year."""),

# ---------------------------------------------------------------- statute, hard negatives
dict(lang="en", reg="statute", codes="", neg="statutory definitions and penal provision, nobody held to them",
     note="hard negative: statute-style definitions and penalty; no conduct measured against it",
     text="""In this Act, "child" means a person who has not reached eighteen years of age, and "exploitation" includes obtaining benefit from the prostitution of another person, from the making or distribution of obscene material, from forced labour or services, from forced begging or from the removal of organs for commercial purposes. A person who recruits, moves, shelters or receives a child for the purpose of exploitation shall be liable to imprisonment of six to twenty years and a fine, irrespective of the child's consent."""),

dict(lang="en", reg="statute", codes="", neg="health protocol",
     note="hard negative: regulation on medical screening of fishing crew; a health protocol, nobody held to it",
     text="""Clause 5. Before a migrant worker begins work on a fishing vessel, the vessel owner shall arrange a medical examination at a hospital designated by the Ministry of Public Health, including a chest X-ray for tuberculosis, screening for leprosy and syphilis, and a urine test for amphetamine-type substances. Clause 6. A certificate issued under Clause 5 shall be valid for one year. A worker found to have a treatable illness shall complete treatment before going to sea."""),
]
