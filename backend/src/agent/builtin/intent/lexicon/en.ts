/** English patterns. Each is meant to be right nearly every time it matches; recall is the model's job too. */
import { HINT, LIKELY, rules, SURE, type LexiconRule } from "./types.js";

const person =
  "human|humans|humen|person|people|agent|agents|representative|representatives|rep|operator|someone|somebody|anyone|anybody|manager|supervisor|staff|employee|advisor|adviser|assistant|consultant|customer (?:service|support|care)|support team|sales team|sales rep|salesperson";

const account = "account|acount|accont|accout|acct|accounts|profile|user profile";

export const enRules: LexiconRule[] = [
  ...rules("human_request", SURE, [
    new RegExp(`\\b(?:speak|speaking|talk|talking|chat|chatting|connect|transfer|pass|switch|reach|contact|get in touch|escalate|put me through)\\b(?: \\w+){0,5} (?:${person})\\b`),
    /\b(?:live|real|actual|physical) (?:agent|person|human|people|representative|rep|operator|support|assistant|employee)\b/,
    /\b(?:human being|human agent|human support|a human|an agent|an operator|a representative|an assistant|a person)\b(?: (?:please|pls|plz|now|asap))?$/,
    /^(?:human|agent|operator|representative|person|real person|people|manager|supervisor)(?: (?:please|pls|plz|now|asap))*$/,
    /\b(?:dont|do not|not|no|stop|hate|tired of|sick of|enough)(?: \w+){0,4} (?:bot|bots|robot|robots|machine|automated|ai)\b/,
    /\bsomeone (?:from|in|at|on) (?:your|the) (?:team|company|staff|office)\b/,
    // Asking to be called is asking for a person.
    /\b(?:call|ring|phone) me\b|\bgive me a (?:call|ring)\b|\bcall ?back\b/,
  ]),
  ...rules("complaint", SURE, [
    /\b(?:complain|complains|complained|complaining|complaint|complaints|grievance|grievances)\b/,
    /\b(?:file|filing|lodge|lodging|submit|submitting|make|making|raise|raising|open|opening|register|registering|log|report|start|put in)(?: \w+){0,3} (?:claim|claims|grievance|grievances)\b/,
    /\b(?:unacceptable|terrible|horrible|horrendous|awful|worst|useless|pathetic|ridiculous|disgusting|appalling|outrageous|shameful|disgrace|disgraceful|rubbish|garbage|incompetent|unprofessional|rude|fed up|sick of this|tired of this|frustrated|frustrating|furious|angry|pissed|annoyed|upset|disappointed|disappointing|dissatisfied|dissatisfaction|unhappy|lousy|shocking|wtf|what the hell|emojiangry)\b/,
    /\b(?:not|never) (?:happy|satisfied|pleased|ok with)\b/,
    /\b(?:poor|bad|awful|terrible|horrible) (?:service|experience|quality|treatment|support|customer service)\b/,
    /\b(?:nobody|no one|noone|none of you)(?: \w+){0,2} (?:answered|answers|replied|replies|responded|responds|helps|helped|called|calls|contacted|cares|gets back)\b/,
    /\b(?:been waiting|waiting for|waited) (?:for )?(?:0|days|weeks|months|hours|ages|so long|forever)\b/,
    /\b(?:never|still (?:not|hasnt|havent|hasn t|has not|have not)|still no|hasnt|havent) (?:arrived|received|come|came|delivered|showed up|shown up|got|gotten|heard)\b/,
    /\b(?:arrived|came|is|was|were|got it) (?:damaged|broken|defective|faulty|smashed|cracked)\b/,
    /\b(?:sent|got|received|delivered)(?: me)? (?:the )?wrong (?:item|product|order|size|colou?r|thing)\b/,
    /\b(?:is|its|a total|total|such a|what a|complete) scam\b|\brip ?off\b/,
  ]),
  ...rules("complaint", LIKELY, [/\b(?:claim|claims)\b/, /\b(?:doesnt|does not|dont|do not|isnt|is not|stopped|wont|will not|not) (?:work|working)\b(?! with)/, /\b(?:keeps|kept) (?:crashing|failing|breaking)\b/]),
  ...rules("sensitive_data", SURE, [
    /\b(?:refund|refunds|refunded|refunding|refnd|reimburse|reimbursed|reimbursement|reimbursements|money back|chargeback|charge back|rebate|rebates|compensation|compensate|compensated)\b/,
    /\b0 (?:dollars?|euros?|usd|eur|pounds?|gbp|bucks|reais|pesos)(?: \w+){0,4} (?:back|returned|refunded|reimbursed|credited|owed|repaid|paid back)\b/,
    /\bdispute (?:a |the |this |my )?(?:charge|transaction|payment)\b/,
    /\b(?:charged|billed|debited)(?: me)? (?:twice|double|two times|2 times|0 times|wrongly|incorrectly|too much|for something)\b/,
    /\b(?:double|over) ?(?:charged|billed)\b/,
    /\b(?:unauthori[sz]ed|unknown|fraudulent|suspicious|unrecogni[sz]ed|strange) (?:charge|charges|transaction|transactions|payment|payments|purchase|purchases|activity|debit)\b/,
    /\b(?:dont|do not) recogni[sz]e (?:this|a|the|that)? ?(?:charge|transaction|payment|debit)\b/,
    /\b(?:card|payment|transaction|purchase|bank|visa|mastercard)s?(?: \w+){0,3} (?:declined|rejected|refused|denied|failed|failing|bounced|blocked|frozen|not going through|didnt go through|wont go through|isnt going through|did not go through|not working|isnt working|doesnt work|not accepted)\b/,
    /\b(?:decline|declined|declines|rejected|rejects|refused|refuses) (?:my |the )?(?:card|payment|transaction)\b/,
    /\bpayment (?:issue|issues|problem|problems|error|errors|failure|failures|failed|trouble|troubles|declined)\b/,
    /\b(?:problem|problems|issue|issues|trouble|troubles|error|errors|difficulty|difficulties|something wrong|something went wrong|help|assistance)(?: \w+){0,2} (?:with|in|on|about|regarding|for|during)(?: (?:a|my|the|this|that|an|online|last|recent))? (?:payment|payments|transaction|transactions|card payment|checkout|billing)\b(?! (?:method|methods|option|options|type|types))/,
    /\b(?:problem|problems|issue|issues|trouble|troubles|error|errors|difficulty|difficulties|something wrong|something went wrong)(?: \w+){0,2} (?:paying|making (?:a |the |my )?payment|to pay|when paying|while paying|when i pay|when i try to pay|(?:submitting|completing|processing|finishing) (?:a |the |my )?payment)\b/,
    /\b(?:cant|cannot|can not|couldnt|could not|unable to|wont let me|not able to|failed to|fail to|fails to)(?: \w+){0,1} (?:make|complete|process|submit|finish)? ?(?:a |my |the )?(?:pay|payment|paying)\b/,
    /\b(?:fraud|fraudulent|fraudster|scammed|identity theft|phishing)\b/,
    /\breport(?:ing)?(?: \w+){0,2} (?:scam|scams|theft|stolen|unauthori[sz]ed|suspicious)\b/,
    /\b(?:didnt|did not|never|havent|have not|wasnt me who)(?: \w+){0,1} (?:authori[sz]e|authori[sz]ed|make|made|approve|approved|recogni[sz]e|do|did)(?: \w+){0,3} (?:charge|charges|transaction|transactions|payment|payments|purchase|purchases|withdrawal|debit)\b/,
    /\b(?:wont|doesnt|didnt|will not|does not|did not|isnt|is not|cant|can not|cannot|couldnt|wasnt)(?: \w+){0,2} (?:card|payment|transaction|visa|mastercard)(?: \w+){0,2} (?:go through|work|be accepted|accepted|approved|processed|be processed)\b/,
    /\b(?:pin|pin number|pin code|access key|access code|credentials|login details|username|user name|security question)\b/,
    /\b(?:forgot|forgotten|forget|lost|misplaced|cant remember|cannot remember|dont remember|do not remember|cant recall)(?: \w+){0,2} (?:password|pin|key|code|credentials|login|username|user name|access)\b/,
    /\b(?:changes|modifications|updates|edits|amendments|corrections) (?:to|on|in|of) (?:my|the) (?:\w+ )?(?:account|profile|details|info|information|data)\b/,
    /\b(?:return|returned|give back|send back|refunding) (?:of )?(?:my|the) money\b|\bmoney (?:returned|refunded)\b/,
    /\b(?:wouldnt|wont|didnt|did not|would not|will not|doesnt|does not|cant|cannot|refused to|refuse to|refuses to)(?: \w+){0,1} (?:take|accept|process|run|approve)(?: my| the)? (?:card|payment|visa|mastercard|amex|credit card|debit card)\b/,
    /\b(?:card|payment|transaction|visa|mastercard)(?: \w+){0,3} (?:didnt work|did not work|wont work|wouldnt work|stopped working|not work)\b/,
    /\b(?:charge|charges|transaction|transactions|purchase|purchases|payment|payments|withdrawal|withdrawals)(?: \w+){0,5} (?:dont|do not|didnt|did not|never) (?:recogni[sz]e|authori[sz]e|make|made|approve|approved|buy|bought|order|ordered)\b/,
    /^(?=.*\b(?:didnt|did not|never|wasnt me who)(?: \w+){0,1} (?:buy|bought|purchase|purchased|order|ordered|make|made|authori[sz]e|spend|spent)\b)(?=.*\b(?:charge|charged|charges|card|account|statement|bill|billed|transaction|transactions|bank|debit|debited)\b)/,
    /\bsomeone(?: \w+){0,2} (?:bought|purchased|ordered|spent|used|withdrew|took money)\b/,
    /\bsomeone (?:has been using|have been using|been using|took|has taken|withdrew|is charging)\b|\b(?:lost|lose|misplaced) (?:my )?(?:card|credit card|debit card|wallet|purse)\b/,
    /\b(?:stole|stolen|steal) (?:my )?(?:card|identity|account|details|credit card|wallet)\b/,
    /\b(?:card|identity|account|wallet)(?: \w+){0,2} (?:stolen|lost|compromised|cloned|hacked|skimmed)\b/,
    /\b(?:hacked|hacker|compromised account)\b/,
    /\bsomeone (?:used|stole|accessed|hacked|is using|has used|made purchases with|got into|charged)\b/,
    /\b(?:password|passcode|passwd|pasword|pwd|pin code|login|log in|logging in|sign in|signing in|signin|locked out|two factor|2fa|verification code|one time code|otp|reset link)\b/,
    new RegExp(`\\b(?:recover|recovering|recovery|unlock|restore|regain|retrieve|reset|resetting)(?: \\w+){0,2} (?:my |the )?(?:${account}|password|access|pin|key|code|credentials)\\b`),
    /\b(?:access|get into|get in to|enter) (?:to )?my account\b/,
    /\baccount (?:is |was |got |has been )?(?:blocked|locked|suspended|frozen|disabled)\b/,
    new RegExp(`\\b(?:delete|deleting|remove|removing|close|closing|deactivate|deactivating|erase|terminate|terminating|cancel|cancelling|canceling|wipe|suspend|disable|get rid of)(?: my| the| our| this| all| of)*(?: \\w+){0,2} (?:${account}|personal data|personal information|personal info|data|details|user)\\b`),
    new RegExp(`\\b(?:${account})(?: \\w+){0,1} (?:deletion|removal|closure|closing|cancellation|cancelation|termination|deactivation|deleted|removed|closed|cancelled|canceled|terminated|deactivated|recovery|access|details|settings|information|info|data)\\b`),
    new RegExp(`\\b(?:deletion|removal|closure|cancellation|cancelation|termination|deactivation) of (?:my |the |our |an |a )?(?:\\w+ )?(?:${account})\\b`),
    /\b(?:edit|editing|change|changing|update|updating|modify|modifying|correct|amend|fix)\b(?! me\b)(?: my| the| our| this)*(?: \w+){0,2} (?:account|acount|accont|profile|personal|details|e ?mail|email address|phone number|mobile number|address|name|surname|billing|card on file|payment details|payment info|payment method|username|user name|data|information|info|date of birth|birthday)\b/,
    // A GDPR request about the customer's own data, not a question about compliance ("is it GDPR compliant?").
    /\b(?:gdpr (?:request|deletion|erasure|access request)|right to be forgotten|data deletion|delete my data|my personal data)\b/,
    /\b(?:passport|id card|identity card|identity document|drivers? licen[cs]e|driving licen[cs]e|social security|ssn|national id|proof of identity|verify my identity|identity verification|kyc)\b/,
    /\b(?:iban|bank account|bank details|card number|card details|credit card details|cvv|cvc|security code|expiry date)\b/,
  ]),
  ...rules("sensitive_data", LIKELY, [/\b(?:declined|rejected)\b/]),
  // A question about one's own invoice is a billing matter: support, not the bot.
  ...rules("sensitive_data", LIKELY, [/\b(?:my|the|our|this|last|latest)\s+(?:invoice|invoices|bill|billing|receipt)\b/, /\bbilling (?:question|issue|problem|error)\b/]),
  ...rules("faq", LIKELY, [
    /\bpayment (?:method|methods|option|options|mode|modes|modalities|type|types|ways|platforms|systems)\b/,
    /\b(?:ways|methods|options|forms|means|modes) (?:of|to|for) (?:pay|paying|payment)\b/,
    /\b(?:accept|accepted|take|support|allow|allowed)(?: \w+){0,2} (?:payments?|cards?|credit cards?|debit cards?|paypal|apple pay|google pay|visa|mastercard|amex|american express|crypto|bitcoin|cash|bank transfers?|checks?|cheques?)\b/,
    /\b(?:can|could|may) (?:i|we) pay (?:with|by|using|via|in|through)\b/,
    /\b(?:delivery|shipping|shipment|courier|postage|dispatch) (?:options|option|methods|method|choices|alternatives|types|modes|times|countries|carriers|speed|speeds|period)\b/,
    /\b(?:ship|shipping|deliver|delivering|dispatch)(?: \w+){0,2} (?:internationally|abroad|overseas|worldwide)\b|\bdo (?:you|u) (?:ship|deliver)\b/,
    /\b(?:opening hours|opening times|business hours|office hours|what time do you (?:open|close))\b/,
    /\bhow (?:can|do|could|should|may|would) (?:i|we) (?:pay|make (?:a |the )?payment)\b(?! (?:back|off))/,
    /\b(?:can|could|may) (?:i|we|you|people|customers|someone) (?:order|buy|purchase|shop|(?:place|make|submit|send) (?:an order|a purchase|orders|purchases)) (?:from|in|to)\b(?! (?:you|your|here|this|the store|the shop|the website|the site|the app|whatsapp|the catalog))/,
    /\bpossible to (?:order|buy|purchase|shop|(?:place|make|submit|send) (?:an order|a purchase|orders|purchases)) (?:from|in|to)\b(?! (?:you|your|here|this|the store|the shop|the website|the site|the app|whatsapp|the catalog))/,
    /\b(?:options|methods|modalities|ways|alternatives|choices) (?:to|for|of) (?:ship|shipping|deliver|delivery|shipment|dispatch|get (?:it|my order) delivered)\b/,
    /\bhow (?:will|would|do|does|can|could) (?:you|my|the|it|they)(?: \w+){0,2} (?:ship|deliver|be shipped|be delivered|get delivered)\b/,
  ]),
  ...rules("faq", HINT, [
    /\b(?:shipping|shipment|shipments|delivery|deliveries|courier|postage)\b/,
  ]),
  ...rules("pricing", LIKELY, [
    /\b(?:price|prices|pricing|priced|cost|costs|costing|how much|hw much|quote|quotes|quotation|discount|discounts|coupon|coupons|promo|promotion|fee|fees|rates|hourly rate|daily rate|tariff|expensive|cheap|cheaper|cheapest|affordable|per month|per user|per seat|per year|budget|deal|deals|vat)\b/,
  ]),
  ...rules("contract", LIKELY, [
    /\b(?:contract|contracts|agreement|agreements|terms|t c|t cs|tcs|tos|sla|dpa|cancellation|cancelation|cancellations|terminate|termination|terminating|early exit|exit fee|notice period|renewal|renew|renews|auto ?renew|lock in|locked in|tied in|tied into|minimum (?:term|commitment|period)|commitment)\b/,
    /^(?!.*\b(?:newsletter|newsletters|mailing list|emails)\b).*\bcancel(?:l?ing)?(?: my| the| our| this)*(?: \w+){0,1} (?:subscription|plan|membership|contract|service|agreement|package)\b/,
  ]),
  ...rules("purchase_intent", HINT, [
    /\b(?:want|wanna|need|id like|would like|take|interested in|looking for)(?: \w+){0,3} (?:item|items|article|articles|product|products|goods|units)\b/,
    /\b(?:want|wanna|like|need|ready|help me|how (?:do|can|could) i|where (?:do|can) i|id like|looking|decided|going|interested in|love) (?:to )?(?:buy|order|purchase|purchasing|buying|ordering)\b/,
    /\b(?:place|make|submit|process)(?: \w+){0,1} (?:an |a |my |new )?(?:order|purchase)\b/,
    /\b(?:sign me up|take my money|ill take|i will take|add to cart)\b/,
    /\b(?:buy|buying|purchase|purchasing|order|ordering|acquire|acquiring|shop for|shopping for)(?: \w+){0,3} (?:item|items|product|products|article|articles|goods|stuff|things|something|merchandise|units)\b/,
  ]),
  ...rules("appointment", LIKELY, [
    /\b(?:demo|demos|demonstration|meeting|meetings|appointment|appointments|reschedule|schedule a|book a|book me|call me|call me back|callback|call back|video call|zoom|teams call|google meet|calendar|walkthrough|consultation|onboarding session)\b/,
  ]),
  // "Just browsing, thanks": a visitor saying there is nothing to do yet is small talk, not a request.
  ...rules("greeting", LIKELY, [
    /\b(?:just|only)(?: \w+){0,2} (?:browsing|looking(?: around)?|having a (?:look|browse)|checking (?:things |it |you )?out(?: (?:the |some )?options)?|curious|exploring(?: (?:the |some )?options)?)(?: (?:for now|at the moment|right now|around|thanks|thank you|cheers|here))*$/,
  ]),
];
