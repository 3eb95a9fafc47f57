"""The public site's interface strings in Persian (English is the key).

A short table rather than gettext catalogues: the public templates have a few dozen strings and
this keeps `make demo` free of the gettext toolchain. Editors' admin uses Wagtail's own catalogues.
"""

FA = {
    "Skip to content": "رفتن به محتوا",
    "Latest news": "آخرین اخبار",
    "Must read": "حتماً بخوانید",
    "You might also like": "شاید دوست داشته باشید",
    "Related": "مرتبط",
    "Recommended to you": "پیشنهاد برای شما",
    "Recommendations based on what you read on this device will appear here.": "پیشنهادها بر اساس آنچه در این دستگاه خوانده‌اید اینجا نمایش داده می‌شود.",
    "How this works": "این بخش چگونه کار می‌کند",
    "How Recommended to you works": "«پیشنهاد برای شما» چگونه کار می‌کند",
    "Until you have read a few articles, this shows the editors' Must read selection.": "تا وقتی چند مطلب نخوانده‌اید، اینجا «حتماً بخوانید» به انتخاب سردبیران نمایش داده می‌شود.",
    "Chosen on this device from what you read here. Nothing about your reading leaves it.": "بر اساس آنچه اینجا خوانده‌اید، در همین دستگاه انتخاب شده است. هیچ چیز از سابقهٔ خواندن شما از این دستگاه بیرون نمی‌رود.",
    "Clear my reading history": "پاک کردن سابقهٔ خواندن من",
    "Your reading history on this device is cleared.": "سابقهٔ خواندن شما در این دستگاه پاک شد.",
    "Articles in your reading history on this device:": "شمار مطالب در سابقهٔ خواندن شما در این دستگاه:",
    "JavaScript is off: no reading history is kept.": "جاوااسکریپت خاموش است: هیچ سابقه‌ای نگه داشته نمی‌شود.",
    "All news": "همه اخبار",
    "Archive": "بایگانی",
    "Search": "جستجو",
    "Search articles": "جستجوی مطالب",
    "Sections": "بخش‌ها",
    "Tags": "برچسب‌ها",
    "By": "نوشته",
    "Published": "منتشرشده",
    "Updated": "به‌روزرسانی",
    "Section": "بخش",
    "Read in": "خواندن به",
    "Languages": "زبان‌ها",
    "Previous": "قبلی",
    "Next": "بعدی",
    "Page": "صفحه",
    "Pages": "صفحه‌ها",
    "Newer": "جدیدتر",
    "Older": "قدیمی‌تر",
    "of": "از",
    "Nothing here yet.": "هنوز مطلبی نیست.",
    "No results.": "نتیجه‌ای یافت نشد.",
    "Searching this copy of the site needs JavaScript. The archive, sections and tags list every article.": "جستجو در این نسخه از وبگاه به جاوااسکریپت نیاز دارد. بایگانی، بخش‌ها و برچسب‌ها همهٔ مطالب را فهرست می‌کنند.",
    "Results for": "نتایج برای",
    "results": "نتیجه",
    "Articles tagged": "مطالب با برچسب",
    "Articles by": "مطالب",
    "Original": "منبع اصلی",
    "Also reported by": "همین خبر در",
    "Wire": "خبرگزاری",
    "Feeds": "خوراک‌ها",
    "Image": "تصویر",
    "Main navigation": "ناوبری اصلی",
    "Home": "خانه",
    "Front page": "صفحهٔ نخست",
    "More articles": "مطالب بیشتر",
    "Entities": "اشخاص، نهادها، مکان‌ها و رویدادها",
    "Person": "اشخاص",
    "Organisation": "سازمان‌ها و نهادها",
    "Place": "مکان‌ها",
    "Event": "رویدادها",
    "Also written": "نام‌های دیگر",
    "Articles that mention": "مطالبی که از این نام یاد کرده‌اند",
    "Figures": "آمار و ارقام",
    "Sources": "منابع",
    "Source": "منبع",
    "Figure": "رقم",
    "How the source puts it": "به بیان منبع",
    "Sources differ": "منابع اختلاف دارند",
    "Estimates range from": "برآوردها در این بازه است:",
    "A confidential source held by the organisation": "منبعی محرمانه نزد سازمان",
    "this site": "همین وبگاه",
    "External identifier": "شناسه بیرونی",
    "Names, articles and figures with their sources": "نام‌ها، مطالب و ارقام همراه با منابع",
}

LANGUAGE_NAMES = {"en": "English", "fa": "فارسی"}


def translate(text, language):
    if language == "fa":
        return FA.get(text, text)
    return text
