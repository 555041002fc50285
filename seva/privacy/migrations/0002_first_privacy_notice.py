"""Version 1 of the portal's privacy notice, in English and Hindi. Later versions are added in
the admin (or by a data migration) as new rows; this one is never changed, since consents
given under it name it."""

import datetime

from django.db import migrations

TEXT_EN = """Seva Portal is run by the party's state office for the "Seva Hi Sangathan – Abhiyan 2" relief campaign. This notice tells you what personal data the portal keeps about you, why, who sees it, how long it is kept, and your rights under India's Digital Personal Data Protection Act, 2023.

What we keep
- Party workers: name, mobile number, e-mail (if given), district, assembly seat and booth, role, skills, blood group (if given), language of messages, and whether you agree to be contacted.
- Blood and plasma donors: name, mobile number, blood group, district, date of your last donation, date of recovery from Covid (for plasma), language of messages, and your consent or opt-out.
- People who call a helpline: your name and mobile number, the patient's name, age and blood group, what help is needed and the notes of the operators who handled it; and whether you agreed that your number is given to the worker who helps you.
- Messages we send you (SMS or e-mail) and SMS you send to the portal's number.

Why
- To organise the campaign's work and send workers reminders and assignments.
- To find a matching donor quickly when a patient needs blood or plasma.
- To answer a helpline request, follow it up and hand it to a worker.
- To count the campaign's work (these figures do not name anybody).
We do not sell your data, use it for advertising or election canvassing, or share it outside the campaign except where the law requires it.

Who sees it
Everybody sees only their own district. A district coordinator and the state office see the workers and donors of their area. A caller's and patient's names and numbers are seen by the helpline that took the call, the district coordinator and the state admin; everybody else sees them masked. A worker sees a caller's number only if the caller agreed. Downloads with personal data are allowed only to those given that right, and each download is logged.

How long we keep it
- Helpline callers and patients: names, numbers and notes are erased 180 days after the request is closed; the counts remain without names.
- Donors and workers: as long as you take part in the campaign, or until you ask us to erase them.
- Messages and SMS: with the person they belong to; erased with them.

Your rights
- Access: ask what we keep about you.
- Correction: ask us to correct or complete it.
- Erasure: ask us to erase it; your name and number are then removed from every record, including their history.
- Withdraw consent at any time, by telling your coordinator, the helpline or the grievance officer; nobody contacts you after that.
- Grievance: write or call the grievance officer below; if you are not satisfied with the answer you may complain to the Data Protection Board of India.
- Nominate a person to exercise these rights if you die or cannot act yourself.

A new version of this notice is published here with its date; earlier versions stay listed below."""

TEXT_HI = """सेवा पोर्टल पार्टी के प्रदेश कार्यालय द्वारा "सेवा ही संगठन – अभियान 2" राहत अभियान के लिए चलाया जाता है। यह सूचना बताती है कि पोर्टल आपका कौन-सा व्यक्तिगत डेटा रखता है, क्यों, उसे कौन देखता है, कितने समय तक रखा जाता है, और डिजिटल व्यक्तिगत डेटा संरक्षण अधिनियम, 2023 के तहत आपके क्या अधिकार हैं।

हम क्या रखते हैं
- पार्टी कार्यकर्ता: नाम, मोबाइल नंबर, ई-मेल (यदि दिया हो), ज़िला, विधानसभा क्षेत्र और बूथ, भूमिका, कौशल, रक्त समूह (यदि दिया हो), संदेशों की भाषा, और आप संपर्क के लिए सहमत हैं या नहीं।
- रक्त और प्लाज़्मा दाता: नाम, मोबाइल नंबर, रक्त समूह, ज़िला, पिछले दान की तारीख, कोविड से ठीक होने की तारीख (प्लाज़्मा के लिए), संदेशों की भाषा, और आपकी सहमति या मना करना।
- हेल्पलाइन पर कॉल करने वाले: आपका नाम और मोबाइल नंबर, मरीज़ का नाम, उम्र और रक्त समूह, कौन-सी मदद चाहिए और संभालने वाले ऑपरेटरों के नोट्स; और क्या आप सहमत हैं कि आपका नंबर मदद करने वाले कार्यकर्ता को दिया जाए।
- हमारे द्वारा आपको भेजे गए संदेश (SMS या ई-मेल) और पोर्टल के नंबर पर आपके भेजे SMS।

क्यों
- अभियान का काम व्यवस्थित करने और कार्यकर्ताओं को याद दिलाने व काम सौंपने के संदेश भेजने के लिए।
- जब किसी मरीज़ को रक्त या प्लाज़्मा चाहिए, तो जल्दी से मेल खाता दाता ढूँढने के लिए।
- हेल्पलाइन के अनुरोध का उत्तर देने, उस पर आगे कार्रवाई करने और उसे किसी कार्यकर्ता को सौंपने के लिए।
- अभियान के काम की गिनती के लिए (इन आँकड़ों में किसी का नाम नहीं होता)।
हम आपका डेटा बेचते नहीं, विज्ञापन या चुनाव प्रचार के लिए उपयोग नहीं करते, और क़ानून की माँग के सिवा अभियान से बाहर किसी को नहीं देते।

इसे कौन देखता है
हर कोई केवल अपना ज़िला देखता है। ज़िला प्रभारी और प्रदेश कार्यालय अपने क्षेत्र के कार्यकर्ता और दाता देखते हैं। कॉल करने वाले और मरीज़ के नाम व नंबर वह हेल्पलाइन देखती है जिसने कॉल ली, ज़िला प्रभारी और प्रदेश एडमिन; बाकी सबको वे छिपे हुए दिखते हैं। कार्यकर्ता कॉल करने वाले का नंबर तभी देखता है जब कॉल करने वाला सहमत हो। व्यक्तिगत डेटा वाली फ़ाइलें केवल वे डाउनलोड कर सकते हैं जिन्हें यह अधिकार दिया गया है, और हर डाउनलोड दर्ज होता है।

हम इसे कितने समय तक रखते हैं
- हेल्पलाइन पर कॉल करने वाले और मरीज़: अनुरोध बंद होने के 180 दिन बाद नाम, नंबर और नोट्स मिटा दिए जाते हैं; गिनती बिना नाम के बनी रहती है।
- दाता और कार्यकर्ता: जब तक आप अभियान में भाग लेते हैं, या जब तक आप उन्हें मिटाने के लिए नहीं कहते।
- संदेश और SMS: जिस व्यक्ति के हैं, उसके साथ; उसी के साथ मिटाए जाते हैं।

आपके अधिकार
- जानकारी: पूछें कि हम आपके बारे में क्या रखते हैं।
- सुधार: इसे सुधारने या पूरा करने के लिए कहें।
- मिटाना: इसे मिटाने के लिए कहें; तब आपका नाम और नंबर हर रिकॉर्ड से, उसके इतिहास सहित, हटा दिया जाता है।
- सहमति किसी भी समय वापस लें, अपने ज़िला प्रभारी, हेल्पलाइन या शिकायत अधिकारी को बताकर; उसके बाद कोई आपसे संपर्क नहीं करता।
- शिकायत: नीचे दिए शिकायत अधिकारी को लिखें या फ़ोन करें; उत्तर से संतुष्ट न हों तो आप भारतीय डेटा संरक्षण बोर्ड में शिकायत कर सकते हैं।
- अपनी मृत्यु या असमर्थता की स्थिति में इन अधिकारों का उपयोग करने के लिए किसी व्यक्ति को नामित करें।

इस सूचना का नया संस्करण तारीख के साथ यहीं प्रकाशित होता है; पहले के संस्करण नीचे सूचीबद्ध रहते हैं।"""


def publish(apps, schema_editor):
    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(
        version=1,
        defaults={"published_on": datetime.date(2026, 11, 1), "text_en": TEXT_EN, "text_hi": TEXT_HI},
    )


def unpublish(apps, schema_editor):
    apps.get_model("privacy", "PrivacyNotice").objects.filter(version=1, consents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_privacy_notice_consent_record")]

    operations = [migrations.RunPython(publish, unpublish)]
