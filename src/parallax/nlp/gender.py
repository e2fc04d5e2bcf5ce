"""Grammatical gender of a named person, when a first name or a title tells it.

    gender_of(name) -> "m" | "f" | None           from the first name
    title_gender(word) -> "m" | "f" | None        "Mr." -> "m", "spokeswoman" -> "f"
    PRONOUN_GENDER                                "he" -> "m", "she" -> "f"

Used to keep "she said" from being credited to the nearest man. Unknown stays
unknown (None): it is compatible with both pronouns. The name lists hold common
English first names and those of the people most often quoted in US and world news;
names given to both sexes (Pat, Chris, Jordan, Jan, Kim, Lee, Robin) are left out.
"""
from __future__ import annotations

from typing import Literal

Gender = Literal["m", "f"]

MALE_NAMES = frozenset("""
aaron adam alan albert alex alexander alfred allen andrew andy anthony antonio arnold
arthur barack barry ben benjamin bernard bernie bill billy bob bobby boris brad bradley
brandon brett brian bruce bryan carl carlos charles charlie chuck clarence craig dan
daniel danny darrell dave david dennis dick don donald doug douglas duncan dwight earl
ed eddie edward elijah emmanuel eric ernest eugene francis frank fred frederick gary
gavin gene george gerald glenn gordon greg gregory harold harry henry howard hugh ian
isaac ivan jack jacob jake james jason jay jeb jeff jeffrey jeremy jerry jesse jim jimmy
joe joel john johnny jon jonathan joseph josh joshua juan justin keith ken kenneth kevin
kirk kurt lance larry lawrence leon leonard louis luis marco marcus mark martin
matt matthew maurice michael mike mitch mitt nathan neil nicholas nick norman oliver
omar oscar patrick paul peter phil philip randy ray raymond reince reuben richard rick
rob robert roberto rod roger roland ron ronald ross roy rudy russell ryan sam samuel
scott sean sergei sergey seth sherrod stanley stephen steve steven stuart ted terrence
thomas tim timothy todd tom tommy tony travis trey tyler victor vince vincent vitaly
vladimir walter wayne william willie xi yuri zach
chris tad jared asa corey newt terry vicente al marvin marc rand jorge sheldon geoff
laurence marty morton felipe robby brent christopher sebastian norbert drew curt monte mick
jeffery gonzalo ari rafael lou antonin chad clint federico khizr freddy norm akhil mitchell
evan colin vin wesley muhammad sadiq simon enrique sajid stan dmitry jamal hank manuel grant
murray teddy whit barney marcel dean jaime recep cornell mikhail rex dante stefan emmet
herschel shawn steny pete woodrow nigel sidney dino rupert christoph alejandro francois
denis geraldo dexter pascal rahm eliot elliott franklin harvey herman hillel ira irving
jerome lyndon marshall max milton mohammed nathaniel newton otis perry quentin ralph reggie
rodney rudolph sanford seymour sherman sol spencer stuart sylvester theo vern wade warren wilbur
""".split())

FEMALE_NAMES = frozenset("""
abigail alice alicia allison amanda amy andrea angela angelina ann anna anne annie
barbara betsy betty beverly brenda candace carly carol caroline carolyn catherine
cathy cheryl christina christine claire cynthia debbie deborah debra diana diane
donna dorothy elaine elena elizabeth ellen emily emma erin eva evelyn frances gabrielle
gina gloria grace hannah heather heidi helen hillary holly hope irene jane janet janice
jeanne jennifer jessica jill joan joanna joanne jodi joyce judith judy julia julie
karen katherine kathleen kathryn kathy katie kay kayleigh kelly kellyanne kimberly
kirsten kristen laura lauren linda lisa lois loretta lori louise lucy madeleine
maria marie marilyn marsha martha mary maureen megan megyn melania melissa
michele michelle nancy natalie nicole nikki nina olivia pamela patricia paula peggy
penny rachel rebecca rose ruth samantha sandra sara sarah sharon shirley sonia stephanie
susan susanna suzanne tammy teresa theresa tiffany tina valerie vanessa victoria
wendy
ivanka phyllis maggie arianna zoe patti liz lael robyn rashida huma gwen dena angie
dottie chelsea gabriela juanita felicia zephyr zeynep jillian carole randi marla ashley myra
cathi polly roberta dianne stacey kristan tanya alexandria brigid kelli faiza
maya gilda mattie cecelia yasmeen ghazala monique claudia paige kiki roseann condoleezza condi
malia sasha susana ileana tulsi kamala maxine sheila neera katrina mia joni mazie hilda dolores
esther miriam naomi leah beth brooke brittany courtney crystal danielle denise erica gail
jacqueline jasmine jenna kara kate kristin lorraine marcia margaret meghan molly monica nora
priscilla regina renee rita roxanne sally shannon sheryl sylvia tara vicki yvonne
""".split())

# Titles and role words that tell the sex of the person they name.
MALE_TITLES = frozenset("mr. mr sir king prince lord congressman spokesman chairman "
                        "businessman father brother son husband".split())
FEMALE_TITLES = frozenset("mrs. mrs ms. ms miss madam queen princess lady congresswoman "
                          "spokeswoman chairwoman businesswoman mother sister daughter wife".split())

PRONOUN_GENDER: dict[str, Gender] = {"he": "m", "him": "m", "his": "m", "himself": "m",
                                     "she": "f", "her": "f", "hers": "f", "herself": "f"}


def gender_of(name: str) -> Gender | None:
    """The sex the first name of `name` tells ("Hillary Clinton" -> "f"), or None."""
    first = name.split(" ", 1)[0].lower().strip(".,")
    if first in MALE_NAMES:
        return "m"
    if first in FEMALE_NAMES:
        return "f"
    return None


def title_gender(word: str) -> Gender | None:
    """The sex a title or role word tells ("Mrs." -> "f"), or None."""
    word = word.lower()
    if word in MALE_TITLES:
        return "m"
    if word in FEMALE_TITLES:
        return "f"
    return None


def compatible(pronoun: str, gender: Gender | None) -> bool:
    """Can `pronoun` stand for a person of `gender` (None: unknown, always can)?"""
    wanted = PRONOUN_GENDER.get(pronoun.lower())
    return wanted is None or gender is None or gender == wanted


__all__ = ["FEMALE_NAMES", "Gender", "MALE_NAMES", "PRONOUN_GENDER", "compatible", "gender_of",
           "title_gender"]
