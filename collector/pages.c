/*
 * Page rendering (pages.h). Accessibility rules applied everywhere: the
 * <html> element carries the page language; every control has a <label>;
 * groups of radios and checkboxes (choices, scales, yes/no, grid rows) are
 * a <fieldset> with a <legend>; help and error texts are tied to their
 * control with aria-describedby; an error summary with role="alert" opens
 * the page and links to each field; the page position is written out
 * ("Page 2 of 5"). Nothing on a page times out. There is no inline script
 * or style, so the Content-Security-Policy can forbid both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "code.h"
#include "pages.h"

enum ui {
	UI_PAGE, UI_OF, UI_NEXT, UI_BACK, UI_SUBMIT, UI_SAVE, UI_START,
	UI_ERR_TITLE, UI_ERR_REQUIRED, UI_ERR_INVALID, UI_NEED_CONSENT,
	UI_NEED_ADULT, UI_OPTIONAL, UI_HONEYPOT, UI_THANKS_TITLE,
	UI_THANKS_TEXT, UI_RECEIPT_INTRO, UI_WITHDRAW_HOW, UI_SAVED_TITLE,
	UI_SAVED_TEXT, UI_SAVED_DAYS, UI_CONTINUE, UI_RESUME_TITLE,
	UI_RESUME_TEXT, UI_RESUME_LABEL, UI_RESUME_BTN, UI_WITHDRAW_TITLE,
	UI_WITHDRAW_TEXT, UI_WITHDRAW_LABEL, UI_WITHDRAW_BTN, UI_WITHDRAWN,
	UI_CODE_BAD, UI_CODE_UNKNOWN, UI_DRAFT_UNKNOWN, UI_CODE_HINT,
	UI_TOO_FAST, UI_STORAGE, UI_NEW_ITEMS, UI_SURVEYS, UI_NO_SURVEYS,
	UI_CONSENT_NOTE, UI_YES, UI_NO, UI_HOME, UI_LANGUAGE, UI_RESUME_LINK,
	UI_WITHDRAW_LINK, UI_CHOOSE_SEVERAL, UI_ERROR, UI_CONSENT_LEGEND,
	UI_ERR_WHOLE, UI_ERR_NUMBER, UI_ERR_TO, UI_ERR_CHOICE, UI_ERR_EXCL,
	UI_ERR_TEXT, UI_AT_LEAST, UI_LEFT_PRE, UI_LEFT_POST, UI_LEFT_ONE, UI_SUMMARY_TITLE,
	UI_SUMMARY_TEXT, UI_CHANGE, UI_CHANGE_HIDDEN, UI_NOT_ANSWERED,
	UI_SUMMARY_STEP, UI_DONE_TITLE, UI_DONE_TEXT, UI_SAVED_AGAIN,
	UI_RECEIPT_WORD, UI_RESUME_WORD, UI_COPY, UI_SAVE_FILE, UI_CODE_ADDRESS,
	UI_FILE_RECEIPT, UI_FILE_RESUME, UI_WD_CONFIRM_TITLE, UI_WD_CONFIRM_TEXT,
	UI_WD_YES, UI_WD_NO, UI_CODE_IS_RECEIPT, UI_CODE_IS_RESUME,
	UI_RESUME_HINT, UI_RECEIPT_HINT, UI_STORED_TITLE, UI_STORED_DAY,
	UI_STORED_MONTH, UI_STORED_DRAFT, UI_STORED_RECEIPT, UI_STORED_NEVER,
	UI_STORED_DAYS, UI_ABOUT_LINK, UI_ABOUT_TITLE, UI_WD_CODE_LABEL,
	UI_BACK_TO_SURVEY, UI_GONE_TITLE, UI_COPIED, UI_TAKES_PRE,
	UI_TAKES_POST, UI_WIN_BEFORE_TITLE, UI_WIN_OPENS_PRE, UI_WIN_CLOSED_TITLE,
	UI_WIN_CLOSED_PRE, UI_WIN_CLOSED_POST, UI_WIN_GRACE_PRE,
	UI_WIN_GRACE_POST, UI_WIN_FINAL, UI_STORED_FINAL_PRE,
	UI_STORED_FINAL_POST, UI_FILE_RECEIPT_FOR, UI_FILE_RESUME_FOR,
	UI_FILE_DAYS_POST, UI_SITE_ADDRESS, UI_WD_WHAT, UI_WD_WHAT_OLD,
	UI_WD_SENT_DAY, UI_WD_SENT_MONTH, UI__MAX
};

static const char *const ui_tags[UI_LANG__MAX] = {"en", "es"};

static const char *const ui_text[UI_LANG__MAX][UI__MAX] = {
	[UI_EN] = {
		[UI_PAGE] = "Page ",
		[UI_OF] = " of ",
		[UI_NEXT] = "Next",
		[UI_BACK] = "Back",
		[UI_SUBMIT] = "Submit my answers",
		[UI_SAVE] = "Save and continue later",
		[UI_START] = "Start the survey",
		[UI_ERR_TITLE] = "There is a problem",
		[UI_ERR_REQUIRED] = "Please answer this question.",
		[UI_ERR_INVALID] = "Please check this answer",
		[UI_NEED_CONSENT] = "Tick this box to take part.",
		[UI_NEED_ADULT] = "Tick this box to confirm you are 18 or older.",
		[UI_OPTIONAL] = "(optional)",
		[UI_HONEYPOT] = "Leave this field empty",
		[UI_THANKS_TITLE] = "Thank you",
		[UI_THANKS_TEXT] = "Your answers have been stored.",
		[UI_RECEIPT_INTRO] = "This is your receipt code. It is shown only "
		    "once: copy it, save it as a file, write it down or take a "
		    "photo of it. Nobody else can link these answers to you.",
		[UI_WITHDRAW_HOW] = "If you change your mind, you can withdraw "
		    "your answers at any time. Open this address and enter the "
		    "receipt code: ",
		[UI_SAVED_TITLE] = "Your answers are saved",
		[UI_SAVED_TEXT] = "This is your resume code. It is shown only "
		    "once: copy it, save it as a file, write it down or take a "
		    "photo of it. To continue, open this address and enter the "
		    "resume code: ",
		[UI_SAVED_DAYS] = "Saved answers are deleted after this many "
		    "days: ",
		[UI_CONTINUE] = "Continue now",
		[UI_RESUME_TITLE] = "Continue a saved survey",
		[UI_RESUME_TEXT] = "Enter the resume code you were given when "
		    "you saved your answers.",
		[UI_RESUME_LABEL] = "Resume code",
		[UI_RESUME_BTN] = "Continue",
		[UI_WITHDRAW_TITLE] = "Withdraw your answers",
		[UI_WITHDRAW_TEXT] = "Enter the receipt code you were given "
		    "when you sent your answers. You will be asked to confirm "
		    "before anything is deleted.",
		[UI_WITHDRAW_LABEL] = "Receipt code",
		[UI_WITHDRAW_BTN] = "Withdraw my answers",
		[UI_WITHDRAWN] = "Your answers have been deleted.",
		[UI_CODE_BAD] = "This does not look like a code. Check it: after "
		    "the word at its start, a code has 20 letters and digits.",
		[UI_CODE_UNKNOWN] = "No answers were found for this code. Check "
		    "the code; the answers may already have been withdrawn.",
		[UI_DRAFT_UNKNOWN] = "No saved answers were found for this "
		    "code. Check the code; saved answers are deleted after a "
		    "while.",
		[UI_CODE_HINT] = "Letters and digits. Capitals, spaces and "
		    "dashes do not matter.",
		[UI_TOO_FAST] = "Please take a moment to check your answers, "
		    "then press the button to submit them again.",
		[UI_STORAGE] = "Sorry: because of a problem on our side your "
		    "answers could not be stored. Nothing has been stored. "
		    "Your answers are still here; please try again in a few "
		    "minutes.",
		[UI_NEW_ITEMS] = "Your answer opened more questions on this "
		    "page. Please look at them before going on.",
		[UI_SURVEYS] = "Surveys",
		[UI_NO_SURVEYS] = "There are no open surveys.",
		[UI_CONSENT_NOTE] = "To take part, tick both boxes.",
		[UI_YES] = "Yes",
		[UI_NO] = "No",
		[UI_HOME] = "Back to the list of surveys",
		[UI_LANGUAGE] = "Language",
		[UI_RESUME_LINK] = "Continue a saved survey",
		[UI_WITHDRAW_LINK] = "Withdraw your answers",
		[UI_CHOOSE_SEVERAL] = "Choose all that apply.",
		[UI_ERROR] = "Error:",
		[UI_CONSENT_LEGEND] = "Your consent",
		[UI_ERR_WHOLE] = "Enter a whole number from ",
		[UI_ERR_NUMBER] = "Enter a number from ",
		[UI_ERR_TO] = " to ",
		[UI_ERR_CHOICE] = "Choose one of the answers shown.",
		[UI_ERR_EXCL] = "An answer like \"none of these\" cannot be "
		    "combined with other answers.",
		[UI_ERR_TEXT] = "The text is too long or contains characters "
		    "that cannot be used. At most this many characters: ",
		[UI_AT_LEAST] = "at least ",
		[UI_LEFT_PRE] = "about ",
		[UI_LEFT_POST] = " minutes left",
		[UI_LEFT_ONE] = "about 1 minute left",
		[UI_SUMMARY_TITLE] = "Check your answers before you send them",
		[UI_SUMMARY_TEXT] = "Nothing has been sent yet. Look through your "
		    "answers and change any you want, then send them.",
		[UI_CHANGE] = "Change",
		[UI_CHANGE_HIDDEN] = " the answers to: ",
		[UI_NOT_ANSWERED] = "Not answered",
		[UI_SUMMARY_STEP] = "Last step",
		[UI_DONE_TITLE] = "Your answers have been sent",
		[UI_DONE_TEXT] = "Your answers are stored. For your privacy this "
		    "page no longer shows them. Your receipt code was shown once, "
		    "on the page after you sent them.",
		[UI_SAVED_AGAIN] = "For your privacy this page no longer shows your "
		    "answers or your resume code. To continue, open this address "
		    "and enter your resume code: ",
		[UI_RECEIPT_WORD] = "receipt code",
		[UI_RESUME_WORD] = "resume code",
		[UI_COPY] = "Copy the code",
		[UI_SAVE_FILE] = "Save the code as a text file",
		[UI_CODE_ADDRESS] = "Address: ",
		[UI_FILE_RECEIPT] = "Your receipt code for the survey",
		[UI_FILE_RESUME] = "Your resume code for the survey",
		[UI_FILE_RECEIPT_FOR] = "What it is for: with this code you can "
		    "withdraw your answers at any time. Open the address below and "
		    "enter the code. Anyone who has the code can do the same, so "
		    "keep it private.",
		[UI_FILE_RESUME_FOR] = "What it is for: with this code you can "
		    "continue the survey where you left off. Open the address "
		    "below and enter the code. Saved answers are deleted ",
		[UI_FILE_DAYS_POST] = " days after they were saved.",
		[UI_SITE_ADDRESS] = "this site's address, followed by ",
		[UI_WD_WHAT] = "The answers to the survey ",
		[UI_WD_WHAT_OLD] = "The answers to a survey no longer open",
		[UI_WD_SENT_DAY] = ", sent on ",
		[UI_WD_SENT_MONTH] = ", sent in the month ",
		[UI_WD_CONFIRM_TITLE] = "Delete your answers?",
		[UI_WD_CONFIRM_TEXT] = "This deletes the answers and scores stored "
		    "with this receipt code, from every file that holds them. It "
		    "cannot be undone, and the code will not work again. Nothing "
		    "else about you is kept, so nothing else needs deleting.",
		[UI_WD_YES] = "Yes, delete my answers",
		[UI_WD_NO] = "No, keep my answers",
		[UI_CODE_IS_RECEIPT] = "This is a receipt code (it starts with REC). "
		    "It is for withdrawing answers that were sent. To continue a "
		    "saved survey, enter your resume code: it starts with CONT.",
		[UI_CODE_IS_RESUME] = "This is a resume code (it starts with CONT). "
		    "It is for continuing a saved survey. To withdraw answers that "
		    "were sent, enter your receipt code: it starts with REC.",
		[UI_RESUME_HINT] = "It starts with CONT. Capitals, spaces and "
		    "dashes do not matter.",
		[UI_RECEIPT_HINT] = "It starts with REC. Capitals, spaces and "
		    "dashes do not matter.",
		[UI_STORED_TITLE] = "What is stored",
		[UI_STORED_DAY] = "Your answers, with the day you send them (not "
		    "the time), the survey's version and this page's version.",
		[UI_STORED_MONTH] = "Your answers, with the month you send them "
		    "(not the day or time), the survey's version and this page's "
		    "version.",
		[UI_STORED_DRAFT] = "If you save your answers to continue later: "
		    "those answers, locked so that only your resume code opens "
		    "them, deleted after ",
		[UI_STORED_DAYS] = " days at most.",
		[UI_STORED_RECEIPT] = "A scrambled form of your receipt code, so "
		    "that you can withdraw your answers. The code itself is not "
		    "stored.",
		[UI_STORED_NEVER] = "Never stored: your name, your IP address, your "
		    "device, the time of day, or anything that tells who answered "
		    "first.",
		[UI_ABOUT_LINK] = "About this survey: its questionnaires and their "
		    "authors",
		[UI_ABOUT_TITLE] = "About this survey",
		[UI_WD_CODE_LABEL] = "Receipt code: ",
		[UI_BACK_TO_SURVEY] = "Back to the survey",
		[UI_GONE_TITLE] = "This page is no longer available",
		[UI_COPIED] = "Copied",
		[UI_TAKES_PRE] = "It takes about ",
		[UI_TAKES_POST] = " minutes, and there is no time limit.",
		[UI_WIN_BEFORE_TITLE] = "This survey is not open yet",
		[UI_WIN_OPENS_PRE] = "It opens on ",
		[UI_WIN_CLOSED_TITLE] = "This survey is closed",
		[UI_WIN_CLOSED_PRE] = "It closed on ",
		[UI_WIN_CLOSED_POST] = " and takes no new answers.",
		[UI_WIN_GRACE_PRE] = "Before ",
		[UI_WIN_GRACE_POST] = ", saved answers can still be continued "
		    "and sent, and answers that were sent can be withdrawn with "
		    "their receipt code.",
		[UI_WIN_FINAL] = "Its data are final: answers can no longer be "
		    "continued, sent or withdrawn.",
		[UI_STORED_FINAL_PRE] = "Answers can be withdrawn with the "
		    "receipt code before ",
		[UI_STORED_FINAL_POST] = "; from then on the study's data are "
		    "final.",
	},
	[UI_ES] = {
		[UI_PAGE] = "Página ",
		[UI_OF] = " de ",
		[UI_NEXT] = "Siguiente",
		[UI_BACK] = "Atrás",
		[UI_SUBMIT] = "Enviar mis respuestas",
		[UI_SAVE] = "Guardar y continuar más tarde",
		[UI_START] = "Comenzar la encuesta",
		[UI_ERR_TITLE] = "Hay un problema",
		[UI_ERR_REQUIRED] = "Por favor, responda a esta pregunta.",
		[UI_ERR_INVALID] = "Por favor, revise esta respuesta",
		[UI_NEED_CONSENT] = "Marque esta casilla para participar.",
		[UI_NEED_ADULT] = "Marque esta casilla para confirmar que tiene "
		    "18 años o más.",
		[UI_OPTIONAL] = "(opcional)",
		[UI_HONEYPOT] = "Deje este campo vacío",
		[UI_THANKS_TITLE] = "Gracias",
		[UI_THANKS_TEXT] = "Sus respuestas se han guardado.",
		[UI_RECEIPT_INTRO] = "Este es su código de recibo. Solo se "
		    "muestra una vez: cópielo, guárdelo en un archivo, anótelo o "
		    "hágale una foto. Nadie más puede relacionar estas respuestas "
		    "con usted.",
		[UI_WITHDRAW_HOW] = "Si cambia de opinión, puede retirar sus "
		    "respuestas en cualquier momento. Abra esta dirección e "
		    "introduzca el código de recibo: ",
		[UI_SAVED_TITLE] = "Sus respuestas están guardadas",
		[UI_SAVED_TEXT] = "Este es su código para continuar. Solo se "
		    "muestra una vez: cópielo, guárdelo en un archivo, anótelo o "
		    "hágale una foto. Para continuar, abra esta dirección e "
		    "introduzca el código para continuar: ",
		[UI_SAVED_DAYS] = "Las respuestas guardadas se borran después de "
		    "estos días: ",
		[UI_CONTINUE] = "Continuar ahora",
		[UI_RESUME_TITLE] = "Continuar una encuesta guardada",
		[UI_RESUME_TEXT] = "Introduzca el código que recibió al guardar "
		    "sus respuestas.",
		[UI_RESUME_LABEL] = "Código para continuar",
		[UI_RESUME_BTN] = "Continuar",
		[UI_WITHDRAW_TITLE] = "Retirar sus respuestas",
		[UI_WITHDRAW_TEXT] = "Introduzca el código de recibo que recibió "
		    "al enviar sus respuestas. Se le pedirá que confirme antes de "
		    "borrar nada.",
		[UI_WITHDRAW_LABEL] = "Código de recibo",
		[UI_WITHDRAW_BTN] = "Retirar mis respuestas",
		[UI_WITHDRAWN] = "Sus respuestas se han borrado.",
		[UI_CODE_BAD] = "Esto no parece un código. Revíselo: después de la "
		    "palabra del principio, un código tiene 20 letras y cifras.",
		[UI_CODE_UNKNOWN] = "No se encontraron respuestas con este "
		    "código. Revise el código; puede que las respuestas ya se "
		    "hayan retirado.",
		[UI_DRAFT_UNKNOWN] = "No se encontraron respuestas guardadas con "
		    "este código. Revise el código; las respuestas guardadas "
		    "se borran pasado un tiempo.",
		[UI_CODE_HINT] = "Letras y cifras. Las mayúsculas, los espacios "
		    "y los guiones no importan.",
		[UI_TOO_FAST] = "Por favor, tómese un momento para revisar sus "
		    "respuestas y pulse de nuevo el botón para enviarlas.",
		[UI_STORAGE] = "Lo sentimos: por un problema nuestro no se "
		    "pudieron guardar sus respuestas. No se ha guardado nada. "
		    "Sus respuestas siguen aquí; inténtelo de nuevo en unos "
		    "minutos.",
		[UI_NEW_ITEMS] = "Su respuesta abrió más preguntas en esta "
		    "página. Revíselas antes de continuar.",
		[UI_SURVEYS] = "Encuestas",
		[UI_NO_SURVEYS] = "No hay encuestas abiertas.",
		[UI_CONSENT_NOTE] = "Para participar, marque las dos casillas.",
		[UI_YES] = "Sí",
		[UI_NO] = "No",
		[UI_HOME] = "Volver a la lista de encuestas",
		[UI_LANGUAGE] = "Idioma",
		[UI_RESUME_LINK] = "Continuar una encuesta guardada",
		[UI_WITHDRAW_LINK] = "Retirar sus respuestas",
		[UI_CHOOSE_SEVERAL] = "Elija todas las que correspondan.",
		[UI_ERROR] = "Error:",
		[UI_CONSENT_LEGEND] = "Su consentimiento",
		[UI_ERR_WHOLE] = "Escriba un número entero de ",
		[UI_ERR_NUMBER] = "Escriba un número de ",
		[UI_ERR_TO] = " a ",
		[UI_ERR_CHOICE] = "Elija una de las respuestas mostradas.",
		[UI_ERR_EXCL] = "Una respuesta como \"ninguno\" no se puede "
		    "combinar con otras respuestas.",
		[UI_ERR_TEXT] = "El texto es demasiado largo o tiene caracteres "
		    "que no se pueden usar. Como máximo estos caracteres: ",
		[UI_AT_LEAST] = "al menos ",
		[UI_LEFT_PRE] = "quedan unos ",
		[UI_LEFT_POST] = " minutos",
		[UI_LEFT_ONE] = "queda 1 minuto aproximadamente",
		[UI_SUMMARY_TITLE] = "Revise sus respuestas antes de enviarlas",
		[UI_SUMMARY_TEXT] = "Todavía no se ha enviado nada. Revise sus "
		    "respuestas, cambie las que quiera y después envíelas.",
		[UI_CHANGE] = "Cambiar",
		[UI_CHANGE_HIDDEN] = " las respuestas de: ",
		[UI_NOT_ANSWERED] = "Sin responder",
		[UI_SUMMARY_STEP] = "Último paso",
		[UI_DONE_TITLE] = "Sus respuestas se han enviado",
		[UI_DONE_TEXT] = "Sus respuestas están guardadas. Por su privacidad, "
		    "esta página ya no las muestra. Su código de recibo se mostró "
		    "una vez, en la página que vio después de enviarlas.",
		[UI_SAVED_AGAIN] = "Por su privacidad, esta página ya no muestra sus "
		    "respuestas ni su código para continuar. Para continuar, abra "
		    "esta dirección e introduzca su código para continuar: ",
		[UI_RECEIPT_WORD] = "código de recibo",
		[UI_RESUME_WORD] = "código para continuar",
		[UI_COPY] = "Copiar el código",
		[UI_SAVE_FILE] = "Guardar el código en un archivo de texto",
		[UI_CODE_ADDRESS] = "Dirección: ",
		[UI_FILE_RECEIPT] = "Su código de recibo de la encuesta",
		[UI_FILE_RESUME] = "Su código para continuar la encuesta",
		[UI_FILE_RECEIPT_FOR] = "Para qué sirve: con este código puede "
		    "retirar sus respuestas en cualquier momento. Abra la dirección "
		    "de abajo e introduzca el código. Quien tenga el código puede "
		    "hacer lo mismo: guárdelo en privado.",
		[UI_FILE_RESUME_FOR] = "Para qué sirve: con este código puede "
		    "continuar la encuesta donde la dejó. Abra la dirección de "
		    "abajo e introduzca el código. Las respuestas guardadas se "
		    "borran ",
		[UI_FILE_DAYS_POST] = " días después de guardarlas.",
		[UI_SITE_ADDRESS] = "la dirección de este sitio, seguida de ",
		[UI_WD_WHAT] = "Las respuestas a la encuesta ",
		[UI_WD_WHAT_OLD] = "Las respuestas a una encuesta que ya no "
		    "está abierta",
		[UI_WD_SENT_DAY] = ", enviadas el ",
		[UI_WD_SENT_MONTH] = ", enviadas en el mes ",
		[UI_WD_CONFIRM_TITLE] = "¿Borrar sus respuestas?",
		[UI_WD_CONFIRM_TEXT] = "Esto borra las respuestas y puntuaciones "
		    "guardadas con este código de recibo, de todos los archivos que "
		    "las contienen. No se puede deshacer y el código dejará de "
		    "funcionar. No se guarda nada más sobre usted, así que no hay "
		    "nada más que borrar.",
		[UI_WD_YES] = "Sí, borrar mis respuestas",
		[UI_WD_NO] = "No, conservar mis respuestas",
		[UI_CODE_IS_RECEIPT] = "Este es un código de recibo (empieza por "
		    "REC). Sirve para retirar respuestas ya enviadas. Para continuar "
		    "una encuesta guardada, introduzca su código para continuar: "
		    "empieza por CONT.",
		[UI_CODE_IS_RESUME] = "Este es un código para continuar (empieza "
		    "por CONT). Sirve para continuar una encuesta guardada. Para "
		    "retirar respuestas ya enviadas, introduzca su código de recibo: "
		    "empieza por REC.",
		[UI_RESUME_HINT] = "Empieza por CONT. Las mayúsculas, los espacios y "
		    "los guiones no importan.",
		[UI_RECEIPT_HINT] = "Empieza por REC. Las mayúsculas, los espacios "
		    "y los guiones no importan.",
		[UI_STORED_TITLE] = "Qué se guarda",
		[UI_STORED_DAY] = "Sus respuestas, con el día en que las envía (no "
		    "la hora), la versión de la encuesta y la de esta página.",
		[UI_STORED_MONTH] = "Sus respuestas, con el mes en que las envía (no "
		    "el día ni la hora), la versión de la encuesta y la de esta "
		    "página.",
		[UI_STORED_DRAFT] = "Si guarda sus respuestas para continuar más "
		    "tarde: esas respuestas, cerradas de modo que solo su código "
		    "para continuar las abre, y borradas después de ",
		[UI_STORED_DAYS] = " días como máximo.",
		[UI_STORED_RECEIPT] = "Una forma cifrada de su código de recibo, "
		    "para que pueda retirar sus respuestas. El código en sí no se "
		    "guarda.",
		[UI_STORED_NEVER] = "Nunca se guarda: su nombre, su dirección IP, su "
		    "dispositivo, la hora ni nada que diga quién respondió primero.",
		[UI_ABOUT_LINK] = "Sobre esta encuesta: sus cuestionarios y sus "
		    "autores",
		[UI_ABOUT_TITLE] = "Sobre esta encuesta",
		[UI_WD_CODE_LABEL] = "Código de recibo: ",
		[UI_BACK_TO_SURVEY] = "Volver a la encuesta",
		[UI_GONE_TITLE] = "Esta página ya no está disponible",
		[UI_COPIED] = "Copiado",
		[UI_TAKES_PRE] = "Se tarda unos ",
		[UI_TAKES_POST] = " minutos, y no hay límite de tiempo.",
		[UI_WIN_BEFORE_TITLE] = "Esta encuesta todavía no está abierta",
		[UI_WIN_OPENS_PRE] = "Se abre el ",
		[UI_WIN_CLOSED_TITLE] = "Esta encuesta está cerrada",
		[UI_WIN_CLOSED_PRE] = "Se cerró el ",
		[UI_WIN_CLOSED_POST] = " y no recibe respuestas nuevas.",
		[UI_WIN_GRACE_PRE] = "Antes del ",
		[UI_WIN_GRACE_POST] = " todavía se pueden continuar y enviar "
		    "respuestas guardadas, y retirar respuestas enviadas con su "
		    "código de recibo.",
		[UI_WIN_FINAL] = "Sus datos son definitivos: ya no se pueden "
		    "continuar, enviar ni retirar respuestas.",
		[UI_STORED_FINAL_PRE] = "Las respuestas se pueden retirar con el "
		    "código de recibo antes del ",
		[UI_STORED_FINAL_POST] = "; desde entonces los datos del estudio "
		    "son definitivos.",
	},
};

static const struct {
	enum ui title;
	const char *en, *es;
} ui_notices[NOTE__MAX] = {
	[NOTE_NOT_FOUND] = {UI_ERR_TITLE, "This page does not exist.",
	    "Esta página no existe."},
	[NOTE_BAD_METHOD] = {UI_ERR_TITLE, "This page cannot be used that way.",
	    "Esta página no se puede usar así."},
	[NOTE_BAD_REQUEST] = {UI_ERR_TITLE, "The request could not be read. "
	    "Nothing was stored.", "No se pudo leer la solicitud. No se ha "
	    "guardado nada."},
	[NOTE_BAD_STATE] = {UI_ERR_TITLE, "This page could not be read: it may "
	    "have been changed or damaged. Nothing was stored. Please start "
	    "again from the survey link.", "No se pudo leer esta página: puede "
	    "que se haya modificado o dañado. No se ha guardado nada. Empiece "
	    "de nuevo desde el enlace de la encuesta."},
	[NOTE_EXPIRED] = {UI_ERR_TITLE, "This survey has changed since you "
	    "started it, so these answers can no longer be used. Nothing was "
	    "stored. Please start again from the survey link.", "Esta encuesta "
	    "ha cambiado desde que la empezó, así que estas respuestas ya no "
	    "se pueden usar. No se ha guardado nada. Empiece de nuevo desde el "
	    "enlace de la encuesta."},
	[NOTE_TOKEN_REUSED] = {UI_DONE_TITLE, "These answers have already been "
	    "submitted once, and they are stored. Nothing more was stored.",
	    "Estas respuestas ya se enviaron una vez y están guardadas. No se "
	    "ha guardado nada más."},
	[NOTE_SESSION_EXPIRED] = {UI_ERR_TITLE, "This survey was started too "
	    "long ago, so these answers can no longer be sent. Nothing was "
	    "stored. Please start again from the survey link.", "Esta encuesta "
	    "se empezó hace demasiado tiempo, así que estas respuestas ya no se "
	    "pueden enviar. No se ha guardado nada. Empiece de nuevo desde el "
	    "enlace de la encuesta."},
	[NOTE_RECEIPT_GONE] = {UI_THANKS_TITLE, "Your receipt code is shown "
	    "only once, on the page you saw right after submitting, and cannot "
	    "be shown again. Answers that were stored stay stored.", "Su código "
	    "de recibo se muestra una sola vez, en la página que vio justo "
	    "después de enviar, y no se puede volver a mostrar. Las respuestas "
	    "guardadas siguen guardadas."},
	[NOTE_HONEYPOT] = {UI_ERR_TITLE, "The form could not be accepted. "
	    "Nothing was stored.", "No se pudo aceptar el formulario. No se ha "
	    "guardado nada."},
	[NOTE_UNKNOWN_FIELD] = {UI_ERR_TITLE, "The form contained a field this "
	    "page does not have. Nothing was stored.", "El formulario tenía un "
	    "campo que esta página no tiene. No se ha guardado nada."},
	[NOTE_TOO_MANY_FIELDS] = {UI_ERR_TITLE, "The form had too many fields. "
	    "Nothing was stored.", "El formulario tenía demasiados campos. No "
	    "se ha guardado nada."},
	[NOTE_TOO_BIG] = {UI_ERR_TITLE, "The form was too large. Nothing was "
	    "stored.", "El formulario era demasiado grande. No se ha guardado "
	    "nada."},
	[NOTE_UNSUPPORTED] = {UI_ERR_TITLE, "The form was sent in a format this "
	    "site does not accept. Nothing was stored.", "El formulario se "
	    "envió en un formato que este sitio no acepta. No se ha guardado "
	    "nada."},
	[NOTE_RATE_LIMITED] = {UI_ERR_TITLE, "There were too many requests from "
	    "your network. Please wait a minute and try again. Nothing was "
	    "stored.", "Hubo demasiadas solicitudes desde su red. Espere un "
	    "minuto y vuelva a intentarlo. No se ha guardado nada."},
	[NOTE_UNAVAILABLE] = {UI_ERR_TITLE, "The service is not available at "
	    "the moment. Nothing was stored. Please try again in a few "
	    "minutes.", "El servicio no está disponible en este momento. No se "
	    "ha guardado nada. Inténtelo de nuevo en unos minutos."},
	[NOTE_VIEW_GONE] = {UI_GONE_TITLE, "This page can no longer be "
	    "shown. For your privacy, the pages of a survey in progress are "
	    "kept for a short time only, for the connection that opened them. "
	    "Nothing was lost by this: if you sent your answers, they are "
	    "stored; if you saved them, continue with your resume code; if you "
	    "still have the survey open, go forward to it.", "Esta página ya no "
	    "se puede mostrar. Por su privacidad, las páginas de una encuesta "
	    "en curso se guardan poco tiempo y solo para la conexión que las "
	    "abrió. Esto no ha hecho perder nada: si envió sus respuestas, están "
	    "guardadas; si las guardó, continúe con su código para continuar; "
	    "si todavía tiene la encuesta abierta, avance hasta ella."},
	[NOTE_INTERNAL] = {UI_ERR_TITLE, "Something went wrong on our side. "
	    "Nothing was stored.", "Algo falló por nuestra parte. No se ha "
	    "guardado nada."},
};

enum ui_lang
pages_ui_lang(const char *tag)
{
	if (tag != NULL && (tag[0] == 'e' || tag[0] == 'E') &&
	    (tag[1] == 's' || tag[1] == 'S') &&
	    (tag[2] == '\0' || tag[2] == '-' || tag[2] == '_'))
		return UI_ES;
	return UI_EN;
}

const char *
pages_ui_tag(enum ui_lang l)
{
	return l < UI_LANG__MAX ? ui_tags[l] : ui_tags[UI_EN];
}

static const char *
ui(enum ui_lang l, enum ui m)
{
	const char *s = ui_text[l][m];

	return s != NULL ? s : ui_text[UI_EN][m];
}

/* ---- layout ---- */

/* The page up to <main>; err: the title starts with "Error: ". */
static void
page_head_err(struct html *h, const char *tag, const char *title, int err)
{
	html_lit(h, "<!DOCTYPE html>\n<html lang=\"");
	html_text(h, tag);
	html_lit(h, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<title>");
	if (err) {
		html_text(h, ui(pages_ui_lang(tag), UI_ERROR));
		html_lit(h, " ");
	}
	html_text(h, title);
	html_lit(h, "</title>\n<link rel=\"stylesheet\" href=\"/static/app.css\">\n"
	    "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
	    "<main id=\"main\">\n");
}

static void
page_head(struct html *h, const char *tag, const char *title)
{
	page_head_err(h, tag, title, 0);
}

static void
page_foot(struct html *h)
{
	html_lit(h, "</main>\n</body>\n</html>\n");
}

static const char *
ftext(const struct form *f, const struct form_text *t, int lang)
{
	return form_text_get(f, t, lang);
}

static enum ui_lang
form_ui(const struct form *f, int lang)
{
	return pages_ui_lang(f->langs[lang]);
}

/* The honeypot: hidden from people (CSS and aria-hidden), seen by bots. */
static void
honeypot(struct html *h, enum ui_lang ul)
{
	html_lit(h, "<div class=\"hp\" aria-hidden=\"true\">"
	    "<label for=\"f-website\">");
	html_text(h, ui(ul, UI_HONEYPOT));
	html_lit(h, "</label><input type=\"text\" id=\"f-website\" "
	    "name=\"website\" value=\"\" tabindex=\"-1\" autocomplete=\"off\">"
	    "</div>\n");
}

/* ---- index ---- */

void
pages_index(struct html *h, enum ui_lang ul, struct form *const *forms,
    const enum form_phase *phases, size_t nforms, const char *tag)
{
	size_t i;

	page_head(h, pages_ui_tag(ul), ui(ul, UI_SURVEYS));
	html_lit(h, "<h1>");
	html_text(h, ui(ul, UI_SURVEYS));
	html_lit(h, "</h1>\n");
	if (nforms == 0) {
		html_lit(h, "<p>");
		html_text(h, ui(ul, UI_NO_SURVEYS));
		html_lit(h, "</p>\n");
	} else
		html_lit(h, "<ul class=\"surveys\">\n");
	for (i = 0; i < nforms; i++) {
		const struct form *f = forms[i];
		int lang = tag != NULL ? form_lang_find(f, tag) : 0;

		if (lang < 0)
			lang = 0;
		html_lit(h, "<li lang=\"");
		html_text(h, f->langs[lang]);
		html_lit(h, "\"><a href=\"/s/");
		html_text(h, f->id);
		html_lit(h, "?lang=");
		html_text(h, f->langs[lang]);
		html_lit(h, "\">");
		html_text(h, ftext(f, &f->title, lang));
		html_lit(h, "</a>");
		if (phases[i] != FORM_PHASE_OPEN) {
			int before = phases[i] == FORM_PHASE_BEFORE;
			enum ui_lang fl = form_ui(f, lang);
			html_lit(h, "<p class=\"window\">");
			html_text(h, ui(fl, before ? UI_WIN_OPENS_PRE :
			    UI_WIN_CLOSED_PRE));
			html_text(h, before ? f->window.opens : f->window.closes);
			html_lit(h, ".</p>");
		}
		if (f->description.s[0] != NULL) {
			html_lit(h, "<p>");
			html_text(h, ftext(f, &f->description, lang));
			html_lit(h, "</p>");
		}
		html_lit(h, "</li>\n");
	}
	if (nforms > 0)
		html_lit(h, "</ul>\n");
	html_lit(h, "<p><a href=\"/resume\">");
	html_text(h, ui(ul, UI_RESUME_LINK));
	html_lit(h, "</a></p>\n<p><a href=\"/withdraw\">");
	html_text(h, ui(ul, UI_WITHDRAW_LINK));
	html_lit(h, "</a></p>\n");
	page_foot(h);
}

/* ---- consent ---- */

static void
error_summary_open(struct html *h, enum ui_lang ul)
{
	html_lit(h, "<div class=\"error-summary\" role=\"alert\" "
	    "aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n"
	    "<h2 id=\"error-summary-title\">");
	html_text(h, ui(ul, UI_ERR_TITLE));
	html_lit(h, "</h2>\n<ul>\n");
}

/*
 * One link of the error summary. id names the question's wrapper (its
 * fieldset or field), so following it brings the question and its error
 * into view; focus names the control app.js moves focus to.
 */
static void
error_summary_item(struct html *h, const char *id, const char *label,
    const char *msg)
{
	html_lit(h, "<li><a href=\"#");
	html_text(h, id);
	html_lit(h, "\" data-focus=\"f-");
	html_text(h, id[0] == 'q' && id[1] == '-' ? id + 2 : id);
	html_lit(h, "\">");
	if (label != NULL) {
		/* "How old are you?" reads badly followed by ": ". */
		size_t n = strlen(label);
		html_text(h, label);
		html_lit(h, n > 0 && strchr("?:.!", label[n - 1]) ? " " : ": ");
	}
	html_text(h, msg);
	html_lit(h, "</a></li>\n");
}

static void
error_summary_close(struct html *h)
{
	html_lit(h, "</ul>\n</div>\n");
}

static void
field_error(struct html *h, enum ui_lang ul, const char *id, const char *msg)
{
	html_lit(h, "<p class=\"error\" id=\"");
	html_text(h, id);
	html_lit(h, "\"><span class=\"visually-hidden\">");
	html_text(h, ui(ul, UI_ERROR));
	html_lit(h, " </span>");
	html_text(h, msg);
	html_lit(h, "</p>\n");
}

/* A language's own name ("Español"), or its tag when we have none. */
static const char *
lang_name(const char *tag)
{
	static const struct {
		const char *tag, *name;
	} names[] = {
		{"en", "English"}, {"es", "Español"}, {"pt", "Português"},
		{"fr", "Français"}, {"de", "Deutsch"}, {"it", "Italiano"},
	};
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i].tag);
		if (strncmp(tag, names[i].tag, n) == 0 &&
		    (tag[n] == '\0' || tag[n] == '-'))
			return tag[n] == '\0' ? names[i].name : tag;
	}
	return tag;
}

static void
lang_links(struct html *h, const struct form *f, int lang, const char *base)
{
	size_t i;

	if (f->nlangs < 2)
		return;
	html_lit(h, "<nav class=\"langs\" aria-label=\"");
	html_text(h, ui(form_ui(f, lang), UI_LANGUAGE));
	html_lit(h, "\"><ul>\n");
	for (i = 0; i < f->nlangs; i++) {
		html_lit(h, "<li><a lang=\"");
		html_text(h, f->langs[i]);
		html_lit(h, "\" hreflang=\"");
		html_text(h, f->langs[i]);
		html_lit(h, "\" href=\"");
		html_text(h, base);
		html_lit(h, "?lang=");
		html_text(h, f->langs[i]);
		html_lit(h, "\"");
		if ((int)i == lang)
			html_lit(h, " aria-current=\"true\"");
		html_lit(h, ">");
		html_text(h, lang_name(f->langs[i]));
		html_lit(h, "</a></li>\n");
	}
	html_lit(h, "</ul></nav>\n");
}

static void
checkbox(struct html *h, enum ui_lang ul, const char *name, const char *label,
    int missing)
{
	char eid[64];

	/* The error goes above the row: .choice is a flex row, and text
	 * inside it would squeeze the label into a narrow column. */
	html_lit(h, "<div class=\"consent-box\" id=\"q-");
	html_text(h, name);
	html_lit(h, "\">\n");
	if (missing) {
		snprintf(eid, sizeof(eid), "e-%s", name);
		field_error(h, ul, eid, ui(ul, strcmp(name, "consent") == 0
		    ? UI_NEED_CONSENT : UI_NEED_ADULT));
	}
	html_lit(h, "<div class=\"choice\">\n");
	html_lit(h, "<input type=\"checkbox\" id=\"f-");
	html_text(h, name);
	html_lit(h, "\" name=\"");
	html_text(h, name);
	html_lit(h, "\" value=\"1\" required");
	if (missing) {
		html_lit(h, " aria-invalid=\"true\" aria-describedby=\"e-");
		html_text(h, name);
		html_lit(h, "\"");
	}
	html_lit(h, ">\n<label for=\"f-");
	html_text(h, name);
	html_lit(h, "\">");
	html_text(h, label);
	html_lit(h, "</label>\n</div>\n</div>\n");
}

/*
 * What is stored, written from the form and the collector's settings, so
 * it is always what the collector does: the answers with their day or
 * month, drafts and their lifetime, the receipt's hash; and what never is.
 */
static void
consent_stored(struct html *h, const struct form *f, enum ui_lang ul,
    unsigned draft_days)
{
	html_lit(h, "<h2>");
	html_text(h, ui(ul, UI_STORED_TITLE));
	html_lit(h, "</h2>\n<ul class=\"stored\">\n<li>");
	html_text(h, ui(ul, f->date_month ? UI_STORED_MONTH : UI_STORED_DAY));
	html_lit(h, "</li>\n<li>");
	html_text(h, ui(ul, UI_STORED_DRAFT));
	html_long(h, (long)draft_days);
	html_text(h, ui(ul, UI_STORED_DAYS));
	html_lit(h, "</li>\n<li>");
	html_text(h, ui(ul, UI_STORED_RECEIPT));
	html_lit(h, "</li>\n");
	if (f->window.set) {
		html_lit(h, "<li>");
		html_text(h, ui(ul, UI_STORED_FINAL_PRE));
		html_text(h, f->window.final);
		html_text(h, ui(ul, UI_STORED_FINAL_POST));
		html_lit(h, "</li>\n");
	}
	html_lit(h, "<li>");
	html_text(h, ui(ul, UI_STORED_NEVER));
	html_lit(h, "</li>\n</ul>\n");
}

/* A titled block of consent text from the form, when it has one. */
static void
consent_part(struct html *h, const struct form *f, int lang,
    const struct form_text *title, const struct form_text *text)
{
	if (text->s[0] == NULL)
		return;
	html_lit(h, "<h2>");
	html_text(h, ftext(f, title, lang));
	html_lit(h, "</h2>\n");
	html_paras(h, ftext(f, text, lang));
}

void
pages_consent(struct html *h, const struct form *f, int lang,
    int missing_consent, int missing_adult, unsigned draft_days)
{
	enum ui_lang ul = form_ui(f, lang);
	char base[96];
	size_t i;

	if (snprintf(base, sizeof(base), "/s/%s", f->id) >= (int)sizeof(base))
		base[0] = '\0';
	page_head_err(h, f->langs[lang], ftext(f, &f->consent_title, lang),
	    missing_consent || missing_adult);
	lang_links(h, f, lang, base);
	if (missing_consent || missing_adult) {
		error_summary_open(h, ul);
		if (missing_consent)
			error_summary_item(h, "q-consent", NULL,
			    ui(ul, UI_NEED_CONSENT));
		if (missing_adult)
			error_summary_item(h, "q-adult", NULL,
			    ui(ul, UI_NEED_ADULT));
		error_summary_close(h);
	}
	html_lit(h, "<p class=\"survey-title\">");
	html_text(h, ftext(f, &f->title, lang));
	html_lit(h, "</p>\n<h1>");
	html_text(h, ftext(f, &f->consent_title, lang));
	html_lit(h, "</h1>\n<div class=\"consent-text\">\n");
	if (f->consent_minutes > 0) {
		html_lit(h, "<p>");
		html_text(h, ui(ul, UI_TAKES_PRE));
		html_long(h, f->consent_minutes);
		html_text(h, ui(ul, UI_TAKES_POST));
		html_lit(h, "</p>\n");
	}
	html_paras(h, ftext(f, &f->consent_text, lang));
	consent_stored(h, f, ul, draft_days);
	for (i = 0; i < f->nconsent_parts; i++)
		consent_part(h, f, lang, &f->consent_parts[i].title,
		    &f->consent_parts[i].text);
	if (f->about.s[0] != NULL) {
		html_lit(h, "<p><a href=\"/s/");
		html_text(h, f->id);
		html_lit(h, "/about?lang=");
		html_text(h, f->langs[lang]);
		html_lit(h, "\">");
		html_text(h, ui(ul, UI_ABOUT_LINK));
		html_lit(h, "</a></p>\n");
	}
	html_lit(h, "</div>\n<form method=\"post\" action=\"/s/");
	html_text(h, f->id);
	html_lit(h, "\" novalidate>\n<input type=\"hidden\" name=\"lang\" value=\"");
	html_text(h, f->langs[lang]);
	html_lit(h, "\">\n<fieldset>\n<legend>");
	html_text(h, ui(ul, UI_CONSENT_LEGEND));
	html_lit(h, "</legend>\n<p class=\"help\">");
	html_text(h, ui(ul, UI_CONSENT_NOTE));
	html_lit(h, "</p>\n");
	checkbox(h, ul, "consent", ftext(f, &f->consent_agree, lang),
	    missing_consent);
	checkbox(h, ul, "adult", ftext(f, &f->consent_age, lang),
	    missing_adult);
	html_lit(h, "</fieldset>\n");
	honeypot(h, ul);
	html_lit(h, "<div class=\"buttons\"><button type=\"submit\" name=\"action\" "
	    "value=\"start\">");
	html_text(h, ui(ul, UI_START));
	html_lit(h, "</button></div>\n</form>\n<p><a href=\"/resume?lang=");
	html_text(h, f->langs[lang]);
	html_lit(h, "\">");
	html_text(h, ui(ul, UI_RESUME_LINK));
	html_lit(h, "</a></p>\n");
	page_foot(h);
}

void
pages_about(struct html *h, const struct form *f, int lang)
{
	enum ui_lang ul = form_ui(f, lang);
	char base[96];

	snprintf(base, sizeof(base), "/s/%s/about", f->id);
	page_head(h, f->langs[lang], ui(ul, UI_ABOUT_TITLE));
	lang_links(h, f, lang, base);
	html_lit(h, "<p class=\"survey-title\">");
	html_text(h, ftext(f, &f->title, lang));
	html_lit(h, "</p>\n<h1>");
	html_text(h, ui(ul, UI_ABOUT_TITLE));
	html_lit(h, "</h1>\n<div class=\"consent-text\">\n");
	if (f->about.s[0] != NULL)
		html_paras(h, ftext(f, &f->about, lang));
	html_lit(h, "</div>\n<p><a href=\"/s/");
	html_text(h, f->id);
	html_lit(h, "?lang=");
	html_text(h, f->langs[lang]);
	html_lit(h, "\">");
	html_text(h, ui(ul, UI_BACK_TO_SURVEY));
	html_lit(h, "</a></p>\n");
	page_foot(h);
}

/* ---- survey pages ---- */

/* The error for variable name, or NULL. */
static const char *
error_for(const struct diag *d, const char *var)
{
	size_t i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < d->n; i++)
		if (d->a[i].where != NULL && strcmp(d->a[i].where, var) == 0)
			return d->a[i].what;
	return NULL;
}

/*
 * The message shown for a problem with variable var. The rule text from
 * the form layer is only distinguished as "required" or not; the wording
 * comes from the item, so it is translated and names the allowed range.
 */
static void
error_message(const struct form *f, enum ui_lang ul, const char *var,
    const char *what, char *buf, size_t len)
{
	long iv = var != NULL ? form_var_find(f, var) : -1;
	const struct form_item *it = iv >= 0 ? f->vars[iv].item : NULL;
	size_t k;

	if (what == NULL || strcmp(what, "required") == 0 || it == NULL) {
		snprintf(buf, len, "%s", ui(ul, UI_ERR_REQUIRED));
		return;
	}
	switch (it->kind) {
	case FORM_INTEGER:
	case FORM_SCALE:
		snprintf(buf, len, "%s%ld%s%ld.", ui(ul, UI_ERR_WHOLE),
		    (long)it->min, ui(ul, UI_ERR_TO), (long)it->max);
		break;
	case FORM_DECIMAL:
		snprintf(buf, len, "%s%g%s%g.", ui(ul, UI_ERR_NUMBER), it->min,
		    ui(ul, UI_ERR_TO), it->max);
		break;
	case FORM_MULTIPLE:
		for (k = 0; k < it->nchoices; k++)
			if (it->choices[k].exclusive)
				break;
		snprintf(buf, len, "%s", ui(ul, k < it->nchoices
		    ? UI_ERR_EXCL : UI_ERR_CHOICE));
		break;
	case FORM_TEXT:
		snprintf(buf, len, "%s%zu.", ui(ul, UI_ERR_TEXT), it->max_length);
		break;
	default:
		snprintf(buf, len, "%s", ui(ul, UI_ERR_CHOICE));
		break;
	}
}

/* Is choice value v among the answers of var? */
static int
shown_checked(const struct pages_survey *ps, size_t ivar,
    const struct form_item *it, size_t ichoice, long v)
{
	const struct form_value *fv = &ps->answers->v[ivar];

	if (!fv->set)
		return 0;
	if (it->kind == FORM_MULTIPLE)
		return ichoice < 64 && (fv->mask >> ichoice) & 1u;
	return fv->i == v;
}

/*
 * The text to put back in a text-like input, or NULL: what was typed when
 * it did not parse (ps->raw), else the answer.
 */
static const char *
shown_text(const struct pages_survey *ps, const char *var, size_t ivar,
    char *buf, size_t len)
{
	const struct form_value *fv;
	const char *typed = ps->raw != NULL ? post_get(ps->raw, var) : NULL;

	if (typed != NULL)
		return typed;
	fv = &ps->answers->v[ivar];
	if (!fv->set)
		return NULL;
	switch (ps->form->vars[ivar].type) {
	case FORM_T_INT:
		snprintf(buf, len, "%ld", fv->i);
		return buf;
	case FORM_T_REAL:
		snprintf(buf, len, "%.15g", fv->r);
		return buf;
	case FORM_T_TEXT:
		return fv->text;
	default:
		return NULL;
	}
}

/* aria-describedby="h-var e-var" for whichever exist. */
static void
describedby(struct html *h, const char *var, int has_help, int has_err)
{
	if (!has_help && !has_err)
		return;
	html_lit(h, " aria-describedby=\"");
	if (has_help) {
		html_lit(h, "h-");
		html_text(h, var);
	}
	if (has_err) {
		html_lit(h, has_help ? " e-" : "e-");
		html_text(h, var);
	}
	html_lit(h, "\"");
	if (has_err)
		html_lit(h, " aria-invalid=\"true\"");
}

/* id of option k of var: the first is f-var so error links land on it. */
static void
option_id(struct html *h, const char *var, size_t k)
{
	html_lit(h, "f-");
	html_text(h, var);
	if (k > 0) {
		html_lit(h, "-");
		html_long(h, (long)k);
	}
}

/*
 * One radio or checkbox with its label. mark: OPT_EXCLUSIVE for "none of
 * these" (app.js unticks the others), OPT_MISSING for "prefer not to say"
 * (app.js reads it as no value when it evaluates a live condition, as
 * form_value_known() does).
 */
enum opt_mark { OPT_PLAIN, OPT_EXCLUSIVE, OPT_MISSING };

static void
option(struct html *h, const char *type, const char *var, size_t k, long value,
    const char *label, int checked, enum opt_mark mark,
    const char *extra_class)
{
	html_lit(h, "<div class=\"choice");
	if (extra_class != NULL) {
		html_lit(h, " ");
		html_lit(h, extra_class);
	}
	html_lit(h, "\"><input type=\"");
	html_lit(h, type);
	html_lit(h, "\" id=\"");
	option_id(h, var, k);
	html_lit(h, "\" name=\"");
	html_text(h, var);
	html_lit(h, "\" value=\"");
	html_long(h, value);
	html_lit(h, "\"");
	if (checked)
		html_lit(h, " checked");
	if (mark == OPT_EXCLUSIVE)
		html_lit(h, " data-exclusive=\"1\"");
	else if (mark == OPT_MISSING)
		html_lit(h, " data-missing=\"1\"");
	html_lit(h, "><label for=\"");
	option_id(h, var, k);
	html_lit(h, "\">");
	html_text(h, label);
	html_lit(h, "</label></div>\n");
}

/* Help and error paragraphs under a question. */
static void
help_and_error(struct html *h, const struct pages_survey *ps,
    const struct form_item *it, const char *var, const char *err)
{
	enum ui_lang ul = form_ui(ps->form, ps->lang);
	const char *help = it != NULL ? ftext(ps->form, &it->help, ps->lang)
	    : NULL;
	char msg[256], id[FORM_VAR_MAX + 8];

	if (it != NULL && it->help.s[0] != NULL && help != NULL) {
		html_lit(h, "<p class=\"help\" id=\"h-");
		html_text(h, var);
		html_lit(h, "\">");
		html_text(h, help);
		html_lit(h, "</p>\n");
	}
	if (err != NULL) {
		error_message(ps->form, ul, var, err, msg, sizeof(msg));
		snprintf(id, sizeof(id), "e-%s", var);
		field_error(h, ul, id, msg);
	}
}

static void
legend(struct html *h, const struct pages_survey *ps, const struct form_text *t,
    int required, int big)
{
	html_lit(h, big ? "<legend class=\"question\">" : "<legend>");
	html_text(h, ftext(ps->form, t, ps->lang));
	if (!required) {
		html_lit(h, " <span class=\"optional\">");
		html_text(h, ui(form_ui(ps->form, ps->lang), UI_OPTIONAL));
		html_lit(h, "</span>");
	}
	html_lit(h, "</legend>\n");
}

/* A question's fieldset, id "q-var" for the error summary's link. */
static void
fieldset_open(struct html *h, const char *cls, const char *var, int has_help,
    int has_err)
{
	html_lit(h, "<fieldset class=\"");
	html_lit(h, cls);
	if (has_err)
		html_lit(h, " has-error");
	html_lit(h, "\" id=\"q-");
	html_text(h, var);
	html_lit(h, "\"");
	describedby(h, var, has_help, has_err);
	html_lit(h, ">\n");
}

static void
render_choices(struct html *h, const struct pages_survey *ps,
    const struct form_item *it, const char *var, size_t ivar, const char *err)
{
	int multi = it->kind == FORM_MULTIPLE;
	int has_help = it->help.s[0] != NULL;
	size_t k;

	fieldset_open(h, multi ? "question checkboxes" : "question radios", var,
	    has_help || multi, err != NULL);
	legend(h, ps, &it->label, it->required, 1);
	if (multi && !has_help) {
		html_lit(h, "<p class=\"help\" id=\"h-");
		html_text(h, var);
		html_lit(h, "\">");
		html_text(h, ui(form_ui(ps->form, ps->lang), UI_CHOOSE_SEVERAL));
		html_lit(h, "</p>\n");
	}
	help_and_error(h, ps, it, var, err);
	for (k = 0; k < it->nchoices; k++) {
		const struct form_choice *c = &it->choices[k];
		option(h, multi ? "checkbox" : "radio", var, k, c->value,
		    ftext(ps->form, &c->label, ps->lang),
		    shown_checked(ps, ivar, it, k, c->value),
		    multi && c->exclusive ? OPT_EXCLUSIVE : c->missing
		    ? OPT_MISSING : OPT_PLAIN, c->exclusive ? "exclusive" : NULL);
	}
	html_lit(h, "</fieldset>\n");
}

/*
 * A numeric rating scale: one radio per number in a grid of even rows
 * (0-10 is two rows of six and five on a phone, one row from 40rem), and
 * the end labels once each, under the ends, tied to the group with
 * aria-describedby so a screen reader hears them with the question.
 */
static void
render_scale(struct html *h, const struct pages_survey *ps,
    const struct form_item *it, const char *err)
{
	const char *var = it->var;
	long lo = (long)it->min, hi = (long)it->max, v, n = hi - lo + 1;
	const char *minl = it->min_label.s[0] != NULL
	    ? ftext(ps->form, &it->min_label, ps->lang) : NULL;
	const char *maxl = it->max_label.s[0] != NULL
	    ? ftext(ps->form, &it->max_label, ps->lang) : NULL;
	int anchors = minl != NULL || maxl != NULL;
	long cols = n <= 6 ? n : (n + 1) / 2;

	html_lit(h, "<fieldset class=\"question scale");
	if (err != NULL)
		html_lit(h, " has-error");
	html_lit(h, "\" id=\"q-");
	html_text(h, var);
	html_lit(h, "\"");
	if (it->help.s[0] != NULL || err != NULL || anchors) {
		html_lit(h, " aria-describedby=\"");
		if (anchors) {
			html_lit(h, "a-");
			html_text(h, var);
		}
		if (it->help.s[0] != NULL) {
			html_lit(h, anchors ? " h-" : "h-");
			html_text(h, var);
		}
		if (err != NULL) {
			html_lit(h, anchors || it->help.s[0] != NULL ? " e-"
			    : "e-");
			html_text(h, var);
		}
		html_lit(h, "\"");
		if (err != NULL)
			html_lit(h, " aria-invalid=\"true\"");
	}
	html_lit(h, ">\n");
	legend(h, ps, &it->label, it->required, 1);
	help_and_error(h, ps, it, var, err);
	html_lit(h, "<div class=\"scale-options cols-");
	html_long(h, cols > 11 ? 11 : cols);
	html_lit(h, n <= 11 ? " wide-" : " wide-x");
	if (n <= 11)
		html_long(h, n);
	html_lit(h, "\">\n");
	for (v = lo; v <= hi && v - lo < 1000; v++) {
		char label[24];
		snprintf(label, sizeof(label), "%ld", v);
		option(h, "radio", var, (size_t)(v - lo), v, label,
		    shown_checked(ps, it->ivar, it, (size_t)(v - lo), v),
		    OPT_PLAIN, NULL);
	}
	html_lit(h, "</div>\n");
	if (anchors) {
		/* Said in words as well as by position: "0: No pain". */
		html_lit(h, "<p class=\"anchors\" id=\"a-");
		html_text(h, var);
		html_lit(h, "\">");
		if (minl != NULL) {
			html_lit(h, "<span class=\"anchor-min\">");
			html_long(h, lo);
			html_lit(h, ": ");
			html_text(h, minl);
			html_lit(h, "</span>");
		}
		if (maxl != NULL) {
			html_lit(h, minl != NULL ? "<span class=\"visually-"
			    "hidden\">; </span>" : "");
			html_lit(h, "<span class=\"anchor-max\">");
			html_long(h, hi);
			html_lit(h, ": ");
			html_text(h, maxl);
			html_lit(h, "</span>");
		}
		html_lit(h, "</p>\n");
	}
	html_lit(h, "</fieldset>\n");
}

static void
render_yesno(struct html *h, const struct pages_survey *ps,
    const struct form_item *it, const char *err)
{
	enum ui_lang ul = form_ui(ps->form, ps->lang);
	const char *yes = it->max_label.s[0] != NULL
	    ? ftext(ps->form, &it->max_label, ps->lang) : ui(ul, UI_YES);
	const char *no = it->min_label.s[0] != NULL
	    ? ftext(ps->form, &it->min_label, ps->lang) : ui(ul, UI_NO);

	fieldset_open(h, "question radios inline", it->var,
	    it->help.s[0] != NULL, err != NULL);
	legend(h, ps, &it->label, it->required, 1);
	help_and_error(h, ps, it, it->var, err);
	option(h, "radio", it->var, 0, 1, yes,
	    shown_checked(ps, it->ivar, it, 0, 1), OPT_PLAIN, NULL);
	option(h, "radio", it->var, 1, 0, no,
	    shown_checked(ps, it->ivar, it, 1, 0), OPT_PLAIN, NULL);
	html_lit(h, "</fieldset>\n");
}

static void
render_grid(struct html *h, const struct pages_survey *ps,
    const struct form_item *it)
{
	size_t r, k;

	/* One fieldset per row: readable at 320 px and by screen readers. */
	html_lit(h, "<fieldset class=\"question grid\"");
	if (it->help.s[0] != NULL) {
		html_lit(h, " aria-describedby=\"h-grid-");
		html_long(h, (long)it->rows[0].ivar);
		html_lit(h, "\"");
	}
	html_lit(h, ">\n");
	legend(h, ps, &it->label, it->required, 1);
	if (it->help.s[0] != NULL) {
		html_lit(h, "<p class=\"help\" id=\"h-grid-");
		html_long(h, (long)it->rows[0].ivar);
		html_lit(h, "\">");
		html_text(h, ftext(ps->form, &it->help, ps->lang));
		html_lit(h, "</p>\n");
	}
	for (r = 0; r < it->nrows; r++) {
		const struct form_row *row = &it->rows[r];
		const char *err = error_for(ps->errors, row->var);

		fieldset_open(h, "grid-row", row->var, 0, err != NULL);
		html_lit(h, "<legend>");
		html_text(h, ftext(ps->form, &row->label, ps->lang));
		html_lit(h, "</legend>\n");
		help_and_error(h, ps, NULL, row->var, err);
		html_lit(h, "<div class=\"grid-options\">\n");
		for (k = 0; k < it->nchoices; k++) {
			const struct form_choice *c = &it->choices[k];
			option(h, "radio", row->var, k, c->value,
			    ftext(ps->form, &c->label, ps->lang),
			    shown_checked(ps, row->ivar, it, k, c->value),
			    c->missing ? OPT_MISSING : OPT_PLAIN, NULL);
		}
		html_lit(h, "</div>\n</fieldset>\n");
	}
	html_lit(h, "</fieldset>\n");
}

static void
render_input(struct html *h, const struct pages_survey *ps,
    const struct form_item *it, const char *err)
{
	char buf[64];
	const char *val = shown_text(ps, it->var, it->ivar, buf, sizeof(buf));
	const char *unit = it->unit.s[0] != NULL
	    ? ftext(ps->form, &it->unit, ps->lang) : NULL;
	int text = it->kind == FORM_TEXT;

	html_lit(h, "<div class=\"question field");
	if (err != NULL)
		html_lit(h, " has-error");
	html_lit(h, "\" id=\"q-");
	html_text(h, it->var);
	html_lit(h, "\">\n<label class=\"question\" for=\"f-");
	html_text(h, it->var);
	html_lit(h, "\">");
	html_text(h, ftext(ps->form, &it->label, ps->lang));
	if (!it->required) {
		html_lit(h, " <span class=\"optional\">");
		html_text(h, ui(form_ui(ps->form, ps->lang), UI_OPTIONAL));
		html_lit(h, "</span>");
	}
	html_lit(h, "</label>\n");
	help_and_error(h, ps, it, it->var, err);
	if (text) {
		html_lit(h, "<textarea id=\"f-");
		html_text(h, it->var);
		html_lit(h, "\" name=\"");
		html_text(h, it->var);
		html_lit(h, "\" rows=\"5\" maxlength=\"");
		html_long(h, (long)it->max_length);
		html_lit(h, "\"");
		describedby(h, it->var, it->help.s[0] != NULL, err != NULL);
		html_lit(h, ">");
		html_text(h, val);
		html_lit(h, "</textarea>\n</div>\n");
		return;
	}
	html_lit(h, "<div class=\"number\"><input type=\"text\" id=\"f-");
	html_text(h, it->var);
	html_lit(h, "\" name=\"");
	html_text(h, it->var);
	html_lit(h, it->kind == FORM_DECIMAL
	    ? "\" inputmode=\"decimal\"" : "\" inputmode=\"numeric\"");
	html_lit(h, " autocomplete=\"off\" spellcheck=\"false\" value=\"");
	html_text(h, val);
	html_lit(h, "\"");
	describedby(h, it->var, it->help.s[0] != NULL, err != NULL);
	html_lit(h, ">");
	if (unit != NULL) {
		html_lit(h, " <span class=\"unit\">");
		html_text(h, unit);
		html_lit(h, "</span>");
	}
	html_lit(h, "</div>\n</div>\n");
}

static void
render_item(struct html *h, const struct pages_survey *ps,
    const struct form_item *it)
{
	const char *err = it->var != NULL ? error_for(ps->errors, it->var)
	    : NULL;

	switch (it->kind) {
	case FORM_SINGLE:
	case FORM_MULTIPLE:
	case FORM_DURATION:
		render_choices(h, ps, it, it->var, it->ivar, err);
		break;
	case FORM_SCALE:
		render_scale(h, ps, it, err);
		break;
	case FORM_YESNO:
		render_yesno(h, ps, it, err);
		break;
	case FORM_GRID:
		render_grid(h, ps, it);
		break;
	case FORM_INTEGER:
	case FORM_DECIMAL:
	case FORM_TEXT:
		render_input(h, ps, it, err);
		break;
	default:
		break;
	}
}

/*
 * An item of a survey page. An item whose show_if reads an answer on this
 * same page is written inside a <div data-show-if="..."> holding its
 * condition as JSON (form_cond_json_live(): the answers of other pages
 * already decided), hidden while the condition does not hold: app.js
 * shows it, and enables its inputs, as soon as the answer that opens it
 * is given, by the same three-valued rules as the server. Without a
 * script the hidden item stays hidden and the server adds it when the
 * page is sent, as before; the server decides in both cases (the answers
 * of hidden items are cleared by form_page_check()). An item whose
 * condition reads only other pages' answers is written or left out by
 * the server alone.
 */
static void
render_live_item(struct html *h, const struct pages_survey *ps,
    const struct form_item *it)
{
	const struct form *f = ps->form;
	int shown = form_item_visible(f, it, ps->answers);
	json_t *j = NULL;
	char *js = NULL;
	size_t nlive = 0;

	if (it->show_if != NULL && ps->answers != NULL &&
	    (j = form_cond_json_live(f, it->show_if, ps->answers, it->ipage,
	    &nlive)) != NULL && nlive > 0)
		js = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (js == NULL) {
		/* Out of memory too: the page still works without it. */
		if (shown)
			render_item(h, ps, it);
		return;
	}
	html_lit(h, "<div class=\"live\" data-show-if=\"");
	html_text(h, js);
	html_lit(h, shown ? "\">\n" : "\" hidden>\n");
	render_item(h, ps, it);
	html_lit(h, "</div>\n");
	free(js);
}

/* The label of variable var (item or grid row) for the error summary. */
static const char *
var_label(const struct pages_survey *ps, const char *var)
{
	long i = form_var_find(ps->form, var);
	const struct form_var *v;

	if (i < 0)
		return NULL;
	v = &ps->form->vars[i];
	if (v->row != NULL)
		return ftext(ps->form, &v->row->label, ps->lang);
	if (v->item != NULL)
		return ftext(ps->form, &v->item->label, ps->lang);
	return NULL;
}

/* ---- time and progress ---- */

/*
 * Seconds a respondent needs for one item, by a fixed model (docs/forms.md,
 * "Length"): reading the question and its help at 200 words a minute,
 * plus a few seconds per answer to choose or type. The collector's
 * progress line and tests/forms/test_default_path.c use the same model.
 */
static unsigned
text_seconds(const struct form *f, const struct form_text *t)
{
	const char *s = t->s[0] != NULL ? form_text_get(f, t, 0) : NULL;
	unsigned words = 0;
	int in = 0;

	for (; s != NULL && *s != '\0'; s++) {
		int sp = *s == ' ' || *s == '\n' || *s == '\t';
		if (!sp && !in)
			words++;
		in = !sp;
	}
	return (words * 60 + 199) / 200;
}

unsigned
pages_item_seconds(const struct form *f, const struct form_item *it)
{
	unsigned t = text_seconds(f, &it->label) + text_seconds(f, &it->help);
	size_t k;

	switch (it->kind) {
	case FORM_GRID:
		for (k = 0; k < it->nrows; k++)
			t += text_seconds(f, &it->rows[k].label) + 3;
		for (k = 0; k < it->nchoices; k++)
			t += text_seconds(f, &it->choices[k].label);
		return t;
	case FORM_SINGLE:
	case FORM_MULTIPLE:
	case FORM_DURATION:
		for (k = 0; k < it->nchoices; k++)
			t += text_seconds(f, &it->choices[k].label);
		return t + (it->kind == FORM_MULTIPLE ? 4 : 2);
	case FORM_SCALE:
		return t + text_seconds(f, &it->min_label) +
		    text_seconds(f, &it->max_label) + 3;
	case FORM_YESNO:
		return t + 2;
	case FORM_INTEGER:
	case FORM_DECIMAL:
		return t + 4;
	case FORM_TEXT:
		return t + 30;
	default:
		return t;
	}
}

unsigned
pages_page_seconds(const struct form *f, size_t ipage,
    const struct form_answers *a)
{
	const struct form_page *pg = &f->pages[ipage];
	unsigned t = PAGES_PAGE_SECONDS + text_seconds(f, &pg->title) +
	    text_seconds(f, &pg->intro);
	size_t i;

	for (i = 0; i < pg->nitems; i++)
		if (a == NULL || form_item_visible(f, &pg->items[i], a))
			t += pages_item_seconds(f, &pg->items[i]);
	return t;
}

/*
 * Where the person is: k (this page's position among those shown), n (the
 * pages shown for the answers so far, this one included), more (a page
 * after this one may still open, so n is a floor) and the seconds of this
 * page and those after it. A later page "may open" when its condition is
 * unknown, or depends on this page's answers, which may still change.
 */
struct progress {
	size_t k, n;
	int more;
	unsigned seconds;
};

static void
progress_of(const struct pages_survey *ps, struct progress *pr)
{
	const struct form *f = ps->form;
	struct form_answers *bare = form_answers_new(f);
	const struct form_page *cur = &f->pages[ps->page];
	size_t i, j, k;

	memset(pr, 0, sizeof(*pr));
	if (bare != NULL && form_answers_copy(bare, ps->answers) == 0) {
		for (i = 0; i < cur->nitems; i++) {
			const struct form_item *it = &cur->items[i];
			if (it->kind != FORM_GRID) {
				form_answers_clear(bare, it->ivar);
				continue;
			}
			for (k = 0; k < it->nrows; k++)
				form_answers_clear(bare, it->rows[k].ivar);
		}
	} else {
		form_answers_free(bare);
		bare = NULL;
	}
	for (j = 0; j < f->npages; j++) {
		enum form_tri t, t0;
		if (j == ps->page) {
			pr->n++;
			pr->k = pr->n;
			pr->seconds += pages_page_seconds(f, j, ps->answers);
			continue;
		}
		t = f->pages[j].show_if == NULL ? FORM_TRUE
		    : form_cond_eval(f->pages[j].show_if, ps->answers);
		if (t == FORM_TRUE)
			pr->n++;
		if (j < ps->page)
			continue;
		if (t == FORM_TRUE)
			pr->seconds += pages_page_seconds(f, j, ps->answers);
		t0 = f->pages[j].show_if == NULL || bare == NULL ? t
		    : form_cond_eval(f->pages[j].show_if, bare);
		if (t == FORM_UNKNOWN || (t == FORM_FALSE && t0 != FORM_FALSE))
			pr->more = 1;
	}
	pr->seconds += PAGES_SUMMARY_SECONDS;
	form_answers_free(bare);
}

static void
progress_line(struct html *h, const struct pages_survey *ps, enum ui_lang ul)
{
	struct progress pr;
	unsigned min;

	progress_of(ps, &pr);
	min = (pr.seconds + 59) / 60;
	html_lit(h, "<p class=\"progress\">");
	html_text(h, ui(ul, UI_PAGE));
	html_long(h, (long)pr.k);
	html_text(h, ui(ul, UI_OF));
	if (pr.more)
		html_text(h, ui(ul, UI_AT_LEAST));
	html_long(h, (long)pr.n);
	html_lit(h, " <span class=\"time-left\">(");
	if (min <= 1)
		html_text(h, ui(ul, UI_LEFT_ONE));
	else {
		html_text(h, ui(ul, UI_LEFT_PRE));
		html_long(h, (long)min);
		html_text(h, ui(ul, UI_LEFT_POST));
	}
	html_lit(h, ")</span></p>\n");
}

/* ---- check your answers ---- */

/* The answer to variable ivar of item it, in words. */
static void
answer_text(struct html *h, const struct pages_survey *ps,
    const struct form_item *it, size_t ivar)
{
	const struct form *f = ps->form;
	const struct form_value *v = &ps->answers->v[ivar];
	enum ui_lang ul = form_ui(f, ps->lang);
	const struct form_choice *c;
	size_t k;
	int first = 1;

	if (!v->set) {
		html_lit(h, "<span class=\"unanswered\">");
		html_text(h, ui(ul, UI_NOT_ANSWERED));
		html_lit(h, "</span>");
		return;
	}
	switch (it->kind) {
	case FORM_MULTIPLE:
		html_lit(h, "<ul class=\"answer-list\">");
		for (k = 0; k < it->nchoices && k < 64; k++) {
			if (!((v->mask >> k) & 1u))
				continue;
			html_lit(h, "<li>");
			html_text(h, ftext(f, &it->choices[k].label, ps->lang));
			html_lit(h, "</li>");
			first = 0;
		}
		html_lit(h, "</ul>");
		(void)first;
		return;
	case FORM_YESNO:
		if (v->i == 1)
			html_text(h, it->max_label.s[0] != NULL
			    ? ftext(f, &it->max_label, ps->lang) : ui(ul, UI_YES));
		else
			html_text(h, it->min_label.s[0] != NULL
			    ? ftext(f, &it->min_label, ps->lang) : ui(ul, UI_NO));
		return;
	case FORM_SINGLE:
	case FORM_DURATION:
	case FORM_GRID:
		c = form_choice_find(it, v->i);
		if (c != NULL)
			html_text(h, ftext(f, &c->label, ps->lang));
		else
			html_long(h, v->i);
		return;
	case FORM_SCALE:
		html_long(h, v->i);
		return;
	case FORM_DECIMAL:
		html_double(h, v->r);
		break;
	case FORM_INTEGER:
		html_long(h, v->i);
		break;
	case FORM_TEXT:
		html_text(h, v->text);
		return;
	default:
		return;
	}
	if (it->unit.s[0] != NULL) {
		html_lit(h, " ");
		html_text(h, ftext(f, &it->unit, ps->lang));
	}
}

static void
summary_row(struct html *h, const struct pages_survey *ps,
    const struct form_text *q, const struct form_item *it, size_t ivar)
{
	html_lit(h, "<div class=\"summary-row\"><dt>");
	html_text(h, ftext(ps->form, q, ps->lang));
	html_lit(h, "</dt><dd>");
	answer_text(h, ps, it, ivar);
	html_lit(h, "</dd></div>\n");
}

/* Every page shown, its answers, and a Change link (GOV.UK pattern). */
static void
summary_list(struct html *h, const struct pages_survey *ps, enum ui_lang ul)
{
	const struct form *f = ps->form;
	size_t i, j, k;

	for (i = 0; i < f->npages; i++) {
		const struct form_page *pg = &f->pages[i];
		if (!form_page_visible(f, i, ps->answers))
			continue;
		html_lit(h, "<section class=\"summary-page\">\n<div class="
		    "\"summary-head\"><h2>");
		html_text(h, ftext(f, &pg->title, ps->lang));
		html_lit(h, "</h2>");
		if (ps->change != NULL && ps->change[i] != NULL) {
			html_lit(h, "<a href=\"");
			html_text(h, ps->change[i]);
			html_lit(h, "\">");
			html_text(h, ui(ul, UI_CHANGE));
			html_lit(h, "<span class=\"visually-hidden\">");
			html_text(h, ui(ul, UI_CHANGE_HIDDEN));
			html_text(h, ftext(f, &pg->title, ps->lang));
			html_lit(h, "</span></a>");
		}
		html_lit(h, "</div>\n<dl class=\"summary-list\">\n");
		for (j = 0; j < pg->nitems; j++) {
			const struct form_item *it = &pg->items[j];
			if (!form_item_visible(f, it, ps->answers))
				continue;
			if (it->kind != FORM_GRID) {
				summary_row(h, ps, &it->label, it, it->ivar);
				continue;
			}
			for (k = 0; k < it->nrows; k++)
				summary_row(h, ps, &it->rows[k].label, it,
				    it->rows[k].ivar);
		}
		html_lit(h, "</dl>\n</section>\n");
	}
}

/* The form with the hidden state, the journey's ticket and the honeypot. */
/*
 * autocomplete="off": the page always shows the answers the server holds
 * for this step, so the browser must not put back what the same history
 * entry held when it was left (Back to a page that was sent back to show
 * a follow-up would show the follow-up empty, and the next Next would
 * clear its answer), nor keep health answers in its autofill history on
 * a shared device.
 */
static void
survey_form_open(struct html *h, const struct pages_survey *ps)
{
	html_lit(h, "<form method=\"post\" action=\"/s/");
	html_text(h, ps->form->id);
	html_lit(h, "\" novalidate autocomplete=\"off\">\n"
	    "<input type=\"hidden\" name=\"state\" "
	    "value=\"");
	html_text(h, ps->state);
	html_lit(h, "\">\n");
	if (ps->view != NULL) {
		html_lit(h, "<input type=\"hidden\" name=\"v\" value=\"");
		html_text(h, ps->view);
		html_lit(h, "\">\n");
	}
}

static void
button(struct html *h, const char *action, const char *cls, const char *text)
{
	html_lit(h, "<button type=\"submit\" name=\"action\" value=\"");
	html_lit(h, action);
	html_lit(h, "\" class=\"");
	html_lit(h, cls);
	html_lit(h, "\">");
	html_text(h, text);
	html_lit(h, "</button>\n");
}

static void
notice(struct html *h, const struct pages_survey *ps, enum ui_lang ul)
{
	if (!ps->storage_failed && !ps->too_fast && !ps->new_items)
		return;
	html_lit(h, "<div class=\"notice\" role=\"alert\"><p>");
	html_text(h, ui(ul, ps->storage_failed ? UI_STORAGE
	    : ps->too_fast ? UI_TOO_FAST : UI_NEW_ITEMS));
	html_lit(h, "</p></div>\n");
}

static void
pages_summary(struct html *h, const struct pages_survey *ps)
{
	const struct form *f = ps->form;
	enum ui_lang ul = form_ui(f, ps->lang);

	page_head(h, f->langs[ps->lang], ui(ul, UI_SUMMARY_TITLE));
	notice(h, ps, ul);
	html_lit(h, "<p class=\"survey-title\">");
	html_text(h, ftext(f, &f->title, ps->lang));
	html_lit(h, "</p>\n<p class=\"progress\">");
	html_text(h, ui(ul, UI_SUMMARY_STEP));
	html_lit(h, "</p>\n<h1>");
	html_text(h, ui(ul, UI_SUMMARY_TITLE));
	html_lit(h, "</h1>\n<p>");
	html_text(h, ui(ul, UI_SUMMARY_TEXT));
	html_lit(h, "</p>\n");
	summary_list(h, ps, ul);
	survey_form_open(h, ps);
	honeypot(h, ul);
	html_lit(h, "<div class=\"buttons\">\n");
	button(h, "submit", "primary", ui(ul, UI_SUBMIT));
	button(h, "back", "secondary", ui(ul, UI_BACK));
	button(h, "save", "secondary", ui(ul, UI_SAVE));
	html_lit(h, "</div>\n</form>\n");
	page_foot(h);
}

void
pages_survey(struct html *h, const struct pages_survey *ps)
{
	const struct form *f = ps->form;
	const struct form_page *pg;
	enum ui_lang ul = form_ui(f, ps->lang);
	size_t i, k = 0;
	int nerr = ps->errors != NULL && ps->errors->n > 0;
	char msg[256];

	if (ps->page >= f->npages) {
		pages_summary(h, ps);
		return;
	}
	pg = &f->pages[ps->page];
	for (i = 0; i < ps->page; i++)
		if (form_page_visible(f, i, ps->answers))
			k++;
	page_head_err(h, f->langs[ps->lang], ftext(f, &pg->title, ps->lang),
	    nerr);
	if (nerr) {
		error_summary_open(h, ul);
		for (i = 0; i < ps->errors->n; i++) {
			char id[FORM_VAR_MAX + 8];
			const char *w = ps->errors->a[i].where;
			if (w == NULL || error_for(ps->errors, w) !=
			    ps->errors->a[i].what)
				continue; /* one message per field */
			snprintf(id, sizeof(id), "q-%s", w);
			error_message(f, ul, w, ps->errors->a[i].what, msg,
			    sizeof(msg));
			error_summary_item(h, id, var_label(ps, w), msg);
		}
		error_summary_close(h);
	}
	notice(h, ps, ul);
	html_lit(h, "<p class=\"survey-title\">");
	html_text(h, ftext(f, &f->title, ps->lang));
	html_lit(h, "</p>\n");
	progress_line(h, ps, ul);
	html_lit(h, "<h1>");
	html_text(h, ftext(f, &pg->title, ps->lang));
	html_lit(h, "</h1>\n");
	if (pg->intro.s[0] != NULL) {
		html_lit(h, "<div class=\"intro\">\n");
		html_paras(h, ftext(f, &pg->intro, ps->lang));
		html_lit(h, "</div>\n");
	}
	survey_form_open(h, ps);
	for (i = 0; i < pg->nitems; i++)
		render_live_item(h, ps, &pg->items[i]);
	honeypot(h, ul);
	/* Every page leads on: to the next page or to the check of answers. */
	html_lit(h, "<div class=\"buttons\">\n");
	button(h, "next", "primary", ui(ul, UI_NEXT));
	if (k > 0)
		button(h, "back", "secondary", ui(ul, UI_BACK));
	button(h, "save", "secondary", ui(ul, UI_SAVE));
	html_lit(h, "</div>\n</form>\n");
	page_foot(h);
}

/* ---- receipt, drafts, withdrawal ---- */

/* "https://host/withdraw", or the bare path when the site is unknown. */
static void
site_url(char *out, size_t len, const char *site, const char *path,
    const char *tag)
{
	snprintf(out, len, "%s%s?lang=%s", site != NULL ? site : "", path, tag);
}

/*
 * The address to go back to, as a link: the full URL, or, when the site's
 * address is not known (no --public-url and a Host header that is not a
 * plain host), "this site's address, followed by /resume?lang=en", so the
 * page never shows a bare path as if it were an address.
 */
static void
site_link(struct html *h, enum ui_lang ul, const char *url)
{
	if (url[0] == '/')
		html_text(h, ui(ul, UI_SITE_ADDRESS));
	html_lit(h, "<a href=\"");
	html_text(h, url);
	html_lit(h, "\">");
	html_text(h, url);
	html_lit(h, "</a>");
}

/*
 * A code as a person keeps it: the code with the word for it, the full
 * address where it is used, a copy button (shown by app.js only) and a
 * button that saves the code, the address and what the code is for as a
 * text file. The file comes from POST /code-file (pages_code_file()), a
 * plain download that needs no script: the code travels in the body, never
 * in a URL that a proxy or the history would keep.
 */
static void
code_block(struct html *h, const struct form *f, int lang,
    enum code_kind kind, const char *code, const char *url)
{
	enum ui_lang ul = form_ui(f, lang);
	const char *id = kind == CODE_RECEIPT ? "receipt-code" : "resume-code";
	char shown[CODE_SHOWN_LEN + 1];

	code_format(code, kind, shown);
	html_lit(h, "<div class=\"code-box\">\n<p class=\"code-word\">");
	html_text(h, ui(ul, kind == CODE_RECEIPT ? UI_RECEIPT_WORD
	    : UI_RESUME_WORD));
	html_lit(h, "</p>\n<p class=\"code\"><strong id=\"");
	html_lit(h, id);
	html_lit(h, "\">");
	html_text(h, shown);
	html_lit(h, "</strong></p>\n<p class=\"code-url\">");
	html_text(h, ui(ul, UI_CODE_ADDRESS));
	site_link(h, ul, url);
	html_lit(h, "</p>\n<div class=\"buttons code-actions\">\n"
	    "<button type=\"button\" class=\"secondary copy\" data-copy=\"");
	html_lit(h, id);
	html_lit(h, "\" data-done=\"");
	html_text(h, ui(ul, UI_COPIED));
	html_lit(h, "\" hidden>");
	html_text(h, ui(ul, UI_COPY));
	html_lit(h, "</button>\n<form method=\"post\" action=\"/code-file\" "
	    "class=\"code-file\">\n<input type=\"hidden\" name=\"form\" "
	    "value=\"");
	html_text(h, f->id);
	html_lit(h, "\">\n<input type=\"hidden\" name=\"lang\" value=\"");
	html_text(h, f->langs[lang]);
	html_lit(h, "\">\n<input type=\"hidden\" name=\"code\" value=\"");
	html_text(h, shown);
	html_lit(h, "\">\n<button type=\"submit\" class=\"secondary\">");
	html_text(h, ui(ul, UI_SAVE_FILE));
	html_lit(h, "</button>\n</form>\n</div>\n</div>\n");
}

void
pages_code_file(struct html *h, const struct form *f, int lang,
    enum code_kind kind, const char *code, const char *site, unsigned days)
{
	enum ui_lang ul = form_ui(f, lang);
	char shown[CODE_SHOWN_LEN + 1], url[400];

	code_format(code, kind, shown);
	site_url(url, sizeof(url), site, kind == CODE_RECEIPT ? "/withdraw"
	    : "/resume", f->langs[lang]);
	/* CRLF: the file opens as lines in every text editor. */
	html_lit(h, ui(ul, kind == CODE_RECEIPT ? UI_FILE_RECEIPT
	    : UI_FILE_RESUME));
	html_lit(h, " \"");
	html_lit(h, ftext(f, &f->title, lang));
	html_lit(h, "\":\r\n\r\n");
	html_lit(h, shown);
	html_lit(h, "\r\n\r\n");
	html_lit(h, ui(ul, kind == CODE_RECEIPT ? UI_FILE_RECEIPT_FOR
	    : UI_FILE_RESUME_FOR));
	if (kind == CODE_RESUME) {
		html_long(h, (long)days);
		html_lit(h, ui(ul, UI_FILE_DAYS_POST));
	}
	html_lit(h, "\r\n\r\n");
	html_lit(h, ui(ul, UI_CODE_ADDRESS));
	if (url[0] == '/')
		html_lit(h, ui(ul, UI_SITE_ADDRESS));
	html_lit(h, url);
	html_lit(h, "\r\n");
}

void
pages_thanks(struct html *h, const struct form *f, int lang, const char *code,
    const char *site)
{
	enum ui_lang ul = form_ui(f, lang);
	char url[400];

	site_url(url, sizeof(url), site, "/withdraw", f->langs[lang]);
	page_head(h, f->langs[lang], ui(ul, UI_THANKS_TITLE));
	html_lit(h, "<h1>");
	html_text(h, ui(ul, UI_THANKS_TITLE));
	html_lit(h, "</h1>\n<p>");
	html_text(h, ui(ul, UI_THANKS_TEXT));
	html_lit(h, "</p>\n<p>");
	html_text(h, ui(ul, UI_RECEIPT_INTRO));
	html_lit(h, "</p>\n<p>");
	html_text(h, ui(ul, UI_WITHDRAW_HOW));
	html_lit(h, "</p>\n");
	code_block(h, f, lang, CODE_RECEIPT, code, url);
	page_foot(h);
}

void
pages_saved(struct html *h, const struct form *f, int lang, const char *code,
    const char *site, unsigned days)
{
	enum ui_lang ul = form_ui(f, lang);
	char url[400], shown[CODE_SHOWN_LEN + 1];

	site_url(url, sizeof(url), site, "/resume", f->langs[lang]);
	page_head(h, f->langs[lang], ui(ul, UI_SAVED_TITLE));
	html_lit(h, "<h1>");
	html_text(h, ui(ul, UI_SAVED_TITLE));
	html_lit(h, "</h1>\n<p>");
	html_text(h, ui(ul, UI_SAVED_TEXT));
	html_lit(h, "</p>\n");
	code_block(h, f, lang, CODE_RESUME, code, url);
	html_lit(h, "<p>");
	html_text(h, ui(ul, UI_SAVED_DAYS));
	html_long(h, (long)days);
	html_lit(h, ".</p>\n");
	/* "Continue now" enters the code for the person. */
	code_format(code, CODE_RESUME, shown);
	html_lit(h, "<form method=\"post\" action=\"/resume\">\n"
	    "<input type=\"hidden\" name=\"lang\" value=\"");
	html_text(h, f->langs[lang]);
	html_lit(h, "\">\n<input type=\"hidden\" name=\"code\" value=\"");
	html_text(h, shown);
	html_lit(h, "\">\n<div class=\"buttons\"><button type=\"submit\" "
	    "class=\"primary\">");
	html_text(h, ui(ul, UI_CONTINUE));
	html_lit(h, "</button></div>\n</form>\n");
	page_foot(h);
}

void
pages_window(struct html *h, const struct form *f, int lang,
    enum form_phase ph)
{
	enum ui_lang ul = form_ui(f, lang);
	enum ui title = ph == FORM_PHASE_BEFORE ? UI_WIN_BEFORE_TITLE :
	    UI_WIN_CLOSED_TITLE;

	page_head(h, f->langs[lang], ui(ul, title));
	html_lit(h, "<p class=\"survey-title\">");
	html_text(h, ftext(f, &f->title, lang));
	html_lit(h, "</p>\n<h1>");
	html_text(h, ui(ul, title));
	html_lit(h, "</h1>\n<p id=\"window\">");
	if (ph == FORM_PHASE_BEFORE) {
		html_text(h, ui(ul, UI_WIN_OPENS_PRE));
		html_text(h, f->window.opens);
		html_lit(h, ".</p>\n");
		page_foot(h);
		return;
	}
	html_text(h, ui(ul, UI_WIN_CLOSED_PRE));
	html_text(h, f->window.closes);
	html_text(h, ui(ul, UI_WIN_CLOSED_POST));
	html_lit(h, "</p>\n<p>");
	if (ph == FORM_PHASE_CLOSED) {
		html_text(h, ui(ul, UI_WIN_GRACE_PRE));
		html_text(h, f->window.final);
		html_text(h, ui(ul, UI_WIN_GRACE_POST));
		html_lit(h, "</p>\n<ul>\n<li><a href=\"/resume?lang=");
		html_text(h, f->langs[lang]);
		html_lit(h, "\">");
		html_text(h, ui(ul, UI_RESUME_LINK));
		html_lit(h, "</a></li>\n<li><a href=\"/withdraw?lang=");
		html_text(h, f->langs[lang]);
		html_lit(h, "\">");
		html_text(h, ui(ul, UI_WITHDRAW_LINK));
		html_lit(h, "</a></li>\n</ul>\n");
	} else {
		html_text(h, ui(ul, UI_WIN_FINAL));
		html_lit(h, "</p>\n");
	}
	page_foot(h);
}

void
pages_ended(struct html *h, const struct form *f, int lang, int saved,
    const char *site)
{
	enum ui_lang ul = form_ui(f, lang);
	enum ui title = saved ? UI_SAVED_TITLE : UI_DONE_TITLE;
	char url[400];

	site_url(url, sizeof(url), site, saved ? "/resume" : "/withdraw",
	    f->langs[lang]);
	page_head(h, f->langs[lang], ui(ul, title));
	html_lit(h, "<h1>");
	html_text(h, ui(ul, title));
	html_lit(h, "</h1>\n<p id=\"ended\">");
	html_text(h, ui(ul, saved ? UI_SAVED_AGAIN : UI_DONE_TEXT));
	if (saved)
		site_link(h, ul, url);
	html_lit(h, "</p>\n");
	if (!saved) {
		html_lit(h, "<p>");
		html_text(h, ui(ul, UI_WITHDRAW_HOW));
		site_link(h, ul, url);
		html_lit(h, "</p>\n");
	}
	page_foot(h);
}

static void
code_form(struct html *h, enum ui_lang ul, const char *action, enum ui title,
    enum ui text, enum ui label, enum ui button_text, int err,
    enum ui unknown, enum ui hint, enum ui other, const char *step)
{
	const char *msg = err == 1 ? ui(ul, UI_CODE_BAD)
	    : err == 2 ? ui(ul, unknown) : err == 3 ? ui(ul, other) : NULL;

	page_head_err(h, pages_ui_tag(ul), ui(ul, title), msg != NULL);
	if (msg != NULL) {
		error_summary_open(h, ul);
		error_summary_item(h, "q-code", NULL, msg);
		error_summary_close(h);
	}
	html_lit(h, "<h1>");
	html_text(h, ui(ul, title));
	html_lit(h, "</h1>\n<p>");
	html_text(h, ui(ul, text));
	html_lit(h, "</p>\n<form method=\"post\" action=\"");
	html_lit(h, action);
	html_lit(h, "\" novalidate>\n<input type=\"hidden\" name=\"lang\" "
	    "value=\"");
	html_text(h, pages_ui_tag(ul));
	html_lit(h, "\">\n");
	if (step != NULL) {
		html_lit(h, "<input type=\"hidden\" name=\"step\" value=\"");
		html_lit(h, step);
		html_lit(h, "\">\n");
	}
	html_lit(h, "<div class=\"question field");
	if (msg != NULL)
		html_lit(h, " has-error");
	html_lit(h, "\" id=\"q-code\">\n<label class=\"question\" "
	    "for=\"f-code\">");
	html_text(h, ui(ul, label));
	html_lit(h, "</label>\n<p class=\"help\" id=\"h-code\">");
	html_text(h, ui(ul, hint));
	html_lit(h, "</p>\n");
	if (msg != NULL)
		field_error(h, ul, "e-code", msg);
	html_lit(h, "<input type=\"text\" id=\"f-code\" name=\"code\" "
	    "class=\"code-input\" autocomplete=\"off\" autocapitalize=\"characters\" "
	    "spellcheck=\"false\" maxlength=\"64\"");
	describedby(h, "code", 1, msg != NULL);
	html_lit(h, ">\n</div>\n<div class=\"buttons\"><button type=\"submit\" "
	    "class=\"primary\">");
	html_text(h, ui(ul, button_text));
	html_lit(h, "</button></div>\n</form>\n<p><a href=\"/\">");
	html_text(h, ui(ul, UI_HOME));
	html_lit(h, "</a></p>\n");
	page_foot(h);
}

void
pages_resume(struct html *h, enum ui_lang ul, int err)
{
	code_form(h, ul, "/resume", UI_RESUME_TITLE, UI_RESUME_TEXT,
	    UI_RESUME_LABEL, UI_RESUME_BTN, err, UI_DRAFT_UNKNOWN,
	    UI_RESUME_HINT, UI_CODE_IS_RECEIPT, NULL);
}

void
pages_withdraw(struct html *h, enum ui_lang ul, int err)
{
	code_form(h, ul, "/withdraw", UI_WITHDRAW_TITLE, UI_WITHDRAW_TEXT,
	    UI_WITHDRAW_LABEL, UI_WITHDRAW_BTN, err, UI_CODE_UNKNOWN,
	    UI_RECEIPT_HINT, UI_CODE_IS_RESUME, "check");
}

void
pages_withdraw_confirm(struct html *h, enum ui_lang ul, const char *code,
    const char *title, const char *period)
{
	char shown[CODE_SHOWN_LEN + 1];

	if (strlen(code) == CODE_LEN)
		code_format(code, CODE_RECEIPT, shown);
	else
		snprintf(shown, sizeof(shown), "%s", code);
	page_head(h, pages_ui_tag(ul), ui(ul, UI_WD_CONFIRM_TITLE));
	html_lit(h, "<h1>");
	html_text(h, ui(ul, UI_WD_CONFIRM_TITLE));
	html_lit(h, "</h1>\n<p>");
	html_text(h, ui(ul, UI_WD_CODE_LABEL));
	html_lit(h, "<strong class=\"code-inline\">");
	html_text(h, shown);
	html_lit(h, "</strong></p>\n<p id=\"withdraw-what\">");
	if (title != NULL) {
		html_text(h, ui(ul, UI_WD_WHAT));
		html_lit(h, "<strong>");
		html_text(h, title);
		html_lit(h, "</strong>");
	} else
		html_text(h, ui(ul, UI_WD_WHAT_OLD));
	if (period != NULL && period[0] != '\0') {
		html_text(h, ui(ul, strlen(period) == 7 ? UI_WD_SENT_MONTH :
		    UI_WD_SENT_DAY));
		html_lit(h, "<strong>");
		html_text(h, period);
		html_lit(h, "</strong>");
	}
	html_lit(h, ".</p>\n<p>");
	html_text(h, ui(ul, UI_WD_CONFIRM_TEXT));
	html_lit(h, "</p>\n<form method=\"post\" action=\"/withdraw\">\n"
	    "<input type=\"hidden\" name=\"lang\" value=\"");
	html_text(h, pages_ui_tag(ul));
	html_lit(h, "\">\n<input type=\"hidden\" name=\"step\" "
	    "value=\"confirm\">\n<input type=\"hidden\" name=\"code\" value=\"");
	html_text(h, shown);
	html_lit(h, "\">\n<div class=\"buttons\"><button type=\"submit\" "
	    "class=\"primary warning\">");
	html_text(h, ui(ul, UI_WD_YES));
	html_lit(h, "</button></div>\n</form>\n<p><a href=\"/\">");
	html_text(h, ui(ul, UI_WD_NO));
	html_lit(h, "</a></p>\n");
	page_foot(h);
}

void
pages_withdrawn(struct html *h, enum ui_lang ul)
{
	page_head(h, pages_ui_tag(ul), ui(ul, UI_WITHDRAW_TITLE));
	html_lit(h, "<h1>");
	html_text(h, ui(ul, UI_WITHDRAW_TITLE));
	html_lit(h, "</h1>\n<p id=\"withdrawn\">");
	html_text(h, ui(ul, UI_WITHDRAWN));
	html_lit(h, "</p>\n<p><a href=\"/\">");
	html_text(h, ui(ul, UI_HOME));
	html_lit(h, "</a></p>\n");
	page_foot(h);
}

void
pages_message(struct html *h, enum ui_lang ul, enum ui_notice n)
{
	const char *text = ul == UI_ES ? ui_notices[n].es : ui_notices[n].en;

	page_head(h, pages_ui_tag(ul), ui(ul, ui_notices[n].title));
	html_lit(h, "<h1>");
	html_text(h, ui(ul, ui_notices[n].title));
	html_lit(h, "</h1>\n<p>");
	html_text(h, text);
	html_lit(h, "</p>\n<p><a href=\"/\">");
	html_text(h, ui(ul, UI_HOME));
	html_lit(h, "</a></p>\n");
	page_foot(h);
}
